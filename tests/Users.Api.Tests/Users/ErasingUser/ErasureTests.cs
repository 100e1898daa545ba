using System.Net;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed class ErasureTests(UsersStack stack)
{
    [Fact]
    public async Task erasure_leaves_no_personal_value_in_stored_events_or_read_model_and_frees_the_email()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var email = HttpJson.UniqueEmail("erase");
        var newEmail = HttpJson.UniqueEmail("erase-new");
        var firstName = $"Zelda{marker}";
        var lastName = $"Fitzgerald{marker}";
        var id = await stack.RegisterAsync(new { email, first_name = firstName, password = "a secret to erase" });
        await stack.Mail.WaitForMailToAsync(email);
        await stack.WaitForVersionAsync(id, 2);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { last_name = lastName, email = newEmail })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The worker records the new address's verification mail (v5) before the password changes (v6).
        await stack.WaitForVersionAsync(id, 5);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { password = "another secret to erase" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.WaitForVersionAsync(id, 6);
        var personal = new[] { email, newEmail, firstName, lastName, marker };
        // Before: the values are there to be found, so the search below can find them. The table holds them sealed
        // (Auditing/Encryption/SealedEventTests); read through the store, they open.
        (await stack.StreamAsync(id))[0].Data.ShouldBeOfType<UserRegistered>().Profile["first_name"]!.GetValue<string>().ShouldBe(firstName);

        var erased = await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}");
        erased.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Stored events: every row of the whole event table, data and headers, holds none of it; no password hash either.
        var rows = await EventRowsAsync();
        rows.ShouldNotBeEmpty();
        foreach (var value in personal)
            rows.ShouldNotContain(r => r.Contains(value, StringComparison.OrdinalIgnoreCase), value);
        (await stack.RawRowsAsync("select data::text from {schema}.mt_events where stream_id = @id", ("id", id)))
            .ShouldNotContain(r => r.Contains("AQAAAA"));

        // Read model: only id, version, timestamps and the erasure remain; tokens holding the address are gone.
        var document = (await stack.RawRowsAsync("select data::text from {schema}.mt_doc_userprofile where id = @id", ("id", id))).Single();
        foreach (var value in personal)
            document.ShouldNotContain(value, Case.Insensitive);
        document.ShouldContain("\"is_erased\": true");
        (await stack.RawRowsAsync("select data::text from {schema}.mt_doc_emailverificationtoken where data ->> 'user_id' = @id", ("id", id.ToString())))
            .ShouldBeEmpty();

        // The user is gone for the API; both addresses can be registered again.
        (await stack.Api.GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Back" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await stack.RegisterAsync(new { email = newEmail });
        await stack.RegisterAsync(new { email });

        // History stays readable: who and when, which fields, no values.
        var history = await stack.GetObjectAsync($"/api/v1/users/{id}/history");
        var entries = history["events"]!.AsArray();
        entries.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["user_registered", "email_verification_requested",
            "user_profile_updated", "email_changed", "email_verification_requested", "password_changed", "user_erased"]);
        entries[2]!["changes"]!.AsObject().Select(kv => kv.Key).ShouldBe(["last_name"]);
        entries[2]!["changes"]!["last_name"]!["to"]!.GetValue<string>().ShouldBe("[erased]");
        entries[6]!["changes"]!.AsObject().Select(kv => kv.Key).ShouldBe(["email", "first_name", "is_active", "is_erased", "last_name", "password"]);
        foreach (var value in personal)
            history.ToJsonString().ShouldNotContain(value, Case.Insensitive);
        var erasure = (await stack.StreamAsync(id)).Last().Data.ShouldBeOfType<UserErased>();
        erasure.ErasedFields.ShouldBe(["email", "password", "first_name", "last_name"]);

        // Erasing again: 204, nothing appended (and masking runs once more, harmlessly).
        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await stack.StreamAsync(id)).Count.ShouldBe(7);
    }

    [Fact]
    public async Task erasing_an_unknown_user_is_404()
    {
        var response = await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{Guid.CreateVersion7()}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    private Task<List<string>> EventRowsAsync() =>
        stack.RawRowsAsync("select data::text, coalesce(headers::text, ''), coalesce(user_name, ''), coalesce(correlation_id, '') from {schema}.mt_events");
}
