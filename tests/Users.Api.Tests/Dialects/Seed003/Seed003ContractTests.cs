using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Dialects;

/// <summary>Seed 003: PUT /v1/auth/users/{user_id}/update with Bearer, built from the seed text's own example.</summary>
[Collection(StackCollection.Name)]
public sealed partial class Seed003ContractTests(UsersStack stack)
{
    private static readonly string[] EntryFields = ["id", "verified", "email", "updated_at", "created_at"];
    private static readonly string[] PhoneFields = ["id", "verified", "phone_number", "updated_at", "created_at"];
    private static readonly string[] UserFields =
    [
        "user_id", "first_name", "middle_name", "last_name", "status", "active", "updated_at", "created_at", "emails",
        "phone_numbers", "idp_providers", "wallets", "totps", "webauthn_credentials",
    ];

    private Task<HttpResponseMessage> Put(string userId, Guid id, object body) =>
        stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/v1/auth/users/{userId}/update", body, stack.BearerTokenFor(id));

    [Fact]
    public async Task the_documented_example_replaces_names_emails_and_phone_numbers_and_answers_as_documented()
    {
        var id = await stack.RegisterSettledAsync("seed003", new { middle_name = "Byron" });
        // The seed's request example, verbatim.
        const string example = """
            {"first_name":"John","middle_name":"","last_name":"Smith","emails":[{"email":"sandbox@streambird.io"}],"phone_numbers":[{"phone_number":"+14152222222"}]}
            """;

        var response = await Put(id.ToString(), id, JsonNode.Parse(example)!);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.ReadObjectAsync();
        json.Select(kv => kv.Key).ShouldBe(["user_id", "phone_numbers", "emails", "user"]);
        var userId = json["user_id"]!.GetValue<string>();
        userId.ShouldStartWith("user_");

        var phone = json["phone_numbers"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        phone.Select(kv => kv.Key).ShouldBe(PhoneFields);
        phone["id"]!.GetValue<string>().ShouldStartWith("pn_");
        phone["verified"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        phone["phone_number"]!.GetValue<string>().ShouldBe("+14152222222");
        phone["created_at"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        phone["updated_at"]!.GetValue<long>().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);

        // The set replaced the registration address: the listed one is now the only, unverified one.
        var email = json["emails"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        email.Select(kv => kv.Key).ShouldBe(EntryFields);
        email["id"]!.GetValue<string>().ShouldStartWith("email_");
        (email["email"]!.GetValue<string>(), email["verified"]!.GetValue<bool>()).ShouldBe(("sandbox@streambird.io", false));

        var user = json["user"]!.AsObject();
        user.Select(kv => kv.Key).ShouldBe(UserFields);
        user["user_id"]!.GetValue<string>().ShouldBe(userId);
        (user["first_name"]!.GetValue<string>(), user["middle_name"]!.GetValue<string>(), user["last_name"]!.GetValue<string>())
            .ShouldBe(("John", "", "Smith"));
        (user["status"]!.GetValue<string>(), user["active"]!.GetValue<bool>()).ShouldBe(("active", true));
        user["created_at"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        JsonNode.DeepEquals(user["emails"], json["emails"]).ShouldBeTrue();
        JsonNode.DeepEquals(user["phone_numbers"], json["phone_numbers"]).ShouldBeTrue();
        foreach (var empty in new[] { "idp_providers", "wallets", "totps", "webauthn_credentials" })
            user[empty]!.AsArray().Count.ShouldBe(0, empty);

        // The primary address changed: an EmailChanged with the dialect as origin, and a verification mail.
        var events = await stack.StreamAsync(id);
        events.Skip(2).Select(e => e.Data.GetType()).ShouldContain(typeof(EmailChanged));
        events.Skip(2).ShouldAllBe(e => e.Headers!["origin"].ToString() == "seed-003");
        await stack.Mail.WaitForMailToAsync("sandbox@streambird.io");

        // The dialect's id round-trips: the same user answers under user_….
        var again = await Put(userId, id, new { });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.DeepEquals(await again.ReadObjectAsync(), json).ShouldBeTrue();
    }

    [Fact]
    public async Task an_address_kept_in_the_set_keeps_its_verified_state_and_a_new_one_is_unverified()
    {
        var primary = HttpJson.UniqueEmail("kept");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = primary });
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var mail = await stack.Mail.WaitForMailToAsync(primary);
        await stack.WaitForVersionAsync(id, 2);
        var token = MailTokens.Verification(mail);
        (await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var added = HttpJson.UniqueEmail("added");
        var response = await Put(id.ToString(), id, new { emails = new[] { new { email = added }, new { email = primary } } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var emails = (await response.ReadObjectAsync())["user"]!["emails"]!.AsArray()
            .ToDictionary(e => e!["email"]!.GetValue<string>(), e => e!["verified"]!.GetValue<bool>());
        emails.ShouldBe(new Dictionary<string, bool> { [primary] = true, [added] = false });
        (await stack.StreamAsync(id)).ShouldNotContain(e => e.Data is EmailChanged);
    }

    [Fact]
    public async Task an_empty_set_an_undocumented_field_and_an_unknown_user_are_refused()
    {
        var id = await stack.RegisterSettledAsync("seed003bad");

        var empty = await Put(id.ToString(), id, new { emails = Array.Empty<object>(), phone_numbers = Array.Empty<object>(), username = "x" });
        empty.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await empty.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>())
            .ShouldBe(["/username", "/emails", "/phone_numbers"], ignoreOrder: true);

        (await Put($"user_{Guid.CreateVersion7():N}", id, new { first_name = "X" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Put("user_24wFP9pDa9YiMJLun94iKykoZs2", id, new { first_name = "X" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }
}
