using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing.Provenance;

/// <summary>A client's address and user agent are the person's data: after erasure no stored event of theirs reveals them.</summary>
[Collection(ProvenanceStackCollection.Name)]
public sealed class ProvenanceErasureTests(ProvenanceStack stack)
{
    [Fact]
    public async Task after_erasure_no_event_of_the_user_holds_their_address_or_user_agent()
    {
        var m = Guid.NewGuid().ToString("N")[..12];
        var address = $"203.0.113.{Random.Shared.Next(100, 250)}";
        var agent = $"ErasableAgent/{m}";
        var signUp = await ProvenanceTests.Send(stack.AnonymousClient(), HttpMethod.Post, "/api/v1/users",
            new { email = HttpJson.UniqueEmail("prov-erase") }, agent, peer: ProvenanceStack.Proxy, forwardedFor: address);
        signUp.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await signUp.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await stack.WaitForVersionAsync(id, 2);
        (await ProvenanceTests.Send(stack.ClientWithToken(stack.Token(id)), HttpMethod.Patch, $"/api/v1/users/{id}",
            new { first_name = "Erasable" }, agent, peer: ProvenanceStack.Proxy, forwardedFor: address)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Before: both are recorded on every event (the worker's write carries the sign-up's), readable through the
        // store, and stored only sealed under the user's data key (Auditing/Encryption).
        var recorded = (await (await stack.Api.GetAsync($"/api/v1/users/{id}/history")).ReadObjectAsync())["events"]!.AsArray();
        recorded.Count.ShouldBe(3);
        recorded.ShouldAllBe(entry => entry!["provenance"]!["user_agent"]!.GetValue<string>() == agent
                                      && entry["provenance"]!["client_ip"]!.GetValue<string>() == address);
        var before = await StoredEventsAsync(id);
        before.Count.ShouldBe(3);
        before.ShouldAllBe(row => !row.Contains(agent) && !row.Contains(address));

        // The user erases themselves, from the same address and agent.
        (await ProvenanceTests.Send(stack.ClientWithToken(stack.Token(id)), HttpMethod.Delete, $"/api/v1/users/{id}",
            new { }, agent, peer: ProvenanceStack.Proxy, forwardedFor: address)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var after = await StoredEventsAsync(id);
        after.Count.ShouldBe(4);
        after.ShouldAllBe(row => !row.Contains(agent) && !row.Contains(address) && !row.Contains(m));

        // What stays readable: which credential, route and dialect, not who was behind them.
        var history = (await (await stack.Api.GetAsync($"/api/v1/users/{id}/history")).ReadObjectAsync())["events"]!.AsArray();
        history.Count.ShouldBe(4);
        foreach (var entry in history)
        {
            var provenance = entry!["provenance"].ShouldBeOfType<JsonObject>();
            provenance.ToJsonString().ShouldNotContain(agent);
            provenance.ToJsonString().ShouldNotContain(address);
            provenance["credential_kind"]!.GetValue<string>().ShouldBeOneOf("anonymous", "bearer");
            provenance["dialect"]!.GetValue<string>().ShouldBe("api/v1");
        }
    }

    /// <summary>Each stored event of the user, every column as text, straight from PostgreSQL.</summary>
    private Task<List<string>> StoredEventsAsync(Guid id) =>
        stack.RawRowsAsync("select e::text from {schema}.mt_events e where stream_id = @id order by version", ("id", id));
}
