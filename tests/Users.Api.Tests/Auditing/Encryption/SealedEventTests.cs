using System.Net;
using System.Text.Json;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Auditing.Encryption;

/// <summary>
/// Personal values are stored sealed under the user's data key and every reader of the store sees them in plaintext;
/// erasure deletes the key and leaves every stored event as it was, its values then reading "[erased]".
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SealedEventTests(UsersStack stack)
{
    [Fact]
    public async Task personal_values_are_stored_sealed_and_history_time_travel_the_feed_and_the_profile_read_them_in_plaintext()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var email = HttpJson.UniqueEmail($"sealed{m}");
        var (first, second, company) = ($"Sealfirst{m}", $"Sealsecond{m}", $"Sealco{m}");
        var id = await stack.RegisterAsync(new { email, first_name = first, company, password = $"sealed password {m}" });
        await stack.WaitForVersionAsync(id, 2);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = second })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await StoredAsync(id);
        rows.Count.ShouldBe(3);
        foreach (var value in new[] { email, first, second, company, m })
            rows.ShouldNotContain(r => r.Contains(value, StringComparison.OrdinalIgnoreCase), value);
        rows[0].ShouldContain($"\"enc:v1:{id:N}:");
        (await KeyRowsAsync(id)).ShouldBe(1);

        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["email"]!["to"]!.GetValue<string>().ShouldBe(email);
        history[0]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(first);
        history[2]!["changes"]!["first_name"]!["from"]!.GetValue<string>().ShouldBe(first);
        history[2]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(second);

        var atRegistration = await stack.GetObjectAsync($"/api/v1/users/{id}?version=1");
        atRegistration["first_name"]!.GetValue<string>().ShouldBe(first);
        atRegistration["company"]!.GetValue<string>().ShouldBe(company);
        (await stack.GetObjectAsync($"/api/v1/users/{id}"))["first_name"]!.GetValue<string>().ShouldBe(second);

        var firstSequence = long.Parse((await stack.RawRowsAsync("select min(seq_id) from {schema}.mt_events where stream_id = @id", ("id", id))).Single());
        var feed = (await stack.GetObjectAsync($"/api/v1/events?after={firstSequence - 1}&limit=50"))["events"]!.AsArray()
            .Where(e => e!["user_id"]!.GetValue<Guid>() == id).ToList();
        feed[0]!["data"]!["email"]!.GetValue<string>().ShouldBe(email);
        feed[0]!["data"]!["profile"]!["company"]!.GetValue<string>().ShouldBe(company);

        // The write side reads the stream too (an aggregate rebuilt from events): the same plaintext.
        await using var query = stack.Store.QuerySession();
        (await query.Events.AggregateStreamAsync<global::Users.Domain.User>(id))!.Email.ShouldBe(email);
    }

    [Fact]
    public async Task erasure_deletes_the_key_leaves_every_stored_event_byte_for_byte_and_history_reads_erased()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var email = HttpJson.UniqueEmail($"shred{m}");
        var id = await stack.RegisterAsync(new { email, first_name = $"Shredfirst{m}" });
        await stack.WaitForVersionAsync(id, 2);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { last_name = $"Shredlast{m}" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await StoredAsync(id);
        (await KeyRowsAsync(id)).ShouldBe(1);

        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await KeyRowsAsync(id)).ShouldBe(0);
        var after = await StoredAsync(id);
        after.Count.ShouldBe(before.Count + 1, "UserErased appended");
        after.Take(before.Count).ShouldBe(before, "no stored event rewritten");
        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["email"]!["to"]!.GetValue<string>().ShouldBe(PersonalData.Erased);
        history[0]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe(PersonalData.Erased);
        history[2]!["changes"]!["last_name"]!["to"]!.GetValue<string>().ShouldBe(PersonalData.Erased);
        history.ToJsonString().ShouldNotContain(m);

        // Erasing again rewrites nothing either.
        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await StoredAsync(id)).ShouldBe(after);
    }

    [Fact]
    public async Task the_client_address_and_agent_of_the_provenance_header_are_sealed_and_read_back_the_rest_stays_readable()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("provenance") });
        await stack.WaitForVersionAsync(id, 2);
        var (address, agent) = ($"203.0.113.{Random.Shared.Next(1, 250)}-{m}", $"agent-{m}");
        await using (var session = stack.Store.LightweightSession())
        {
            session.SetHeader("provenance", new Dictionary<string, object>
            {
                ["client_ip"] = address,
                ["user_agent"] = agent,
                ["credential_kind"] = "bearer",
                ["route"] = "PATCH /api/v1/users/{id}",
            });
            var stream = await session.Events.FetchForWriting<global::Users.Domain.User>(id);
            stream.AppendOne(new UserDeactivated($"reason {m}"));
            await session.SaveChangesAsync();
        }

        var stored = (await stack.RawRowsAsync("select data::text || headers::text from {schema}.mt_events where stream_id = @id and version = 3", ("id", id))).Single();
        stored.ShouldNotContain(m);
        stored.ShouldContain("\"credential_kind\": \"bearer\"");
        var read = (await stack.StreamAsync(id)).Last();
        var provenance = JsonSerializer.Serialize(read.Headers!["provenance"]);
        provenance.ShouldContain(address);
        provenance.ShouldContain(agent);
        read.Data.ShouldBeOfType<UserDeactivated>().Reason.ShouldBe($"reason {m}");

        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var erased = JsonSerializer.Serialize((await stack.StreamAsync(id)).Single(e => e.Version == 3).Headers!["provenance"]);
        erased.ShouldNotContain(m);
        erased.ShouldContain(PersonalData.Erased);
        erased.ShouldContain("bearer");
    }

    [Fact]
    public async Task an_altered_sealed_value_reads_as_unreadable_and_history_and_time_travel_still_answer()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var email = HttpJson.UniqueEmail($"tamper{m}");
        var id = await stack.RegisterAsync(new { email, first_name = $"Tamperfirst{m}" });
        await stack.WaitForVersionAsync(id, 2);
        var sealedName = (await stack.RawRowsAsync("select data->'profile'->>'first_name' from {schema}.mt_events where stream_id = @id and version = 1", ("id", id))).Single();
        sealedName.ShouldStartWith("enc:v1:");
        var at = sealedName.Length - 10;
        var altered = sealedName[..at] + (sealedName[at] == 'A' ? 'B' : 'A') + sealedName[(at + 1)..];
        await stack.RawRowsAsync("update {schema}.mt_events set data = jsonb_set(data, '{profile,first_name}', to_jsonb(@altered::text)) " +
                                 "where stream_id = @id and version = 1 returning seq_id", ("id", id), ("altered", altered));

        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe("[unreadable]");
        history[0]!["changes"]!["email"]!["to"]!.GetValue<string>().ShouldBe(email, "the other values still open");
        (await stack.GetObjectAsync($"/api/v1/users/{id}?version=1"))["first_name"]!.GetValue<string>().ShouldBe("[unreadable]");
    }

    [Fact]
    public async Task a_value_typed_to_look_sealed_is_kept_as_typed_and_never_opened_with_another_users_key()
    {
        var m = Guid.NewGuid().ToString("N")[..10];
        var victim = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("victim"), company = $"Victimco{m}" });
        var stolen = (await stack.RawRowsAsync("select data->'profile'->>'company' from {schema}.mt_events where stream_id = @id and version = 1", ("id", victim))).Single();
        stolen.ShouldStartWith("enc:v1:");

        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("copier"), company = stolen });

        (await stack.GetObjectAsync($"/api/v1/users/{id}"))["company"]!.GetValue<string>().ShouldBe(stolen);
        var history = (await stack.GetObjectAsync($"/api/v1/users/{id}/history"))["events"]!.AsArray();
        history[0]!["changes"]!["company"]!["to"]!.GetValue<string>().ShouldBe(stolen);
        history.ToJsonString().ShouldNotContain(m);
    }

    /// <summary>The user's stored events as PostgreSQL holds them: sequence, data and headers.</summary>
    private Task<List<string>> StoredAsync(Guid id) => stack.RawRowsAsync(
        "select seq_id, data::text, coalesce(headers::text, '') from {schema}.mt_events where stream_id = @id order by version", ("id", id));

    private async Task<int> KeyRowsAsync(Guid id) =>
        int.Parse((await stack.RawRowsAsync("select count(*) from {schema}.mt_doc_userdatakey where id = @id", ("id", id))).Single());
}
