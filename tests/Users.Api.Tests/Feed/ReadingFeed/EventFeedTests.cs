using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed class EventFeedTests(UsersStack stack)
{
    [Fact]
    public async Task the_feed_lists_every_users_events_in_global_order_by_cursor_as_json_and_as_ndjson()
    {
        var start = await CurrentTailAsync();
        var first = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("feed-a"), password = "a secret for the feed" });
        var second = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("feed-b") });
        await stack.WaitForVersionAsync(first, 2);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{first}", new { first_name = "Ada" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.WaitForVersionAsync(first, 3);
        await stack.WaitForVersionAsync(second, 2);

        // The feed shows what lies under the high-water mark; the daemon moves it up within moments.
        var all = await Eventually.Until(() => ReadAllPagesAsync($"/api/v1/events?after={start}&limit=2"),
            events => Mine(events).Count >= 5, what: "the five events in the feed");
        var sequences = all.Select(e => e["sequence"]!.GetValue<long>()).ToList();
        sequences.ShouldBeInOrder(SortDirection.Ascending);
        sequences.Distinct().Count().ShouldBe(sequences.Count);
        sequences.ShouldAllBe(s => s > start);

        var mine = Mine(all);
        mine.Where(e => e["user_id"]!.GetValue<Guid>() == first).Select(e => e["type"]!.GetValue<string>())
            .ShouldBe(["user_registered", "email_verification_requested", "user_profile_updated"]);
        mine.Where(e => e["user_id"]!.GetValue<Guid>() == second).Select(e => e["type"]!.GetValue<string>())
            .ShouldBe(["user_registered", "email_verification_requested"]);
        var registered = mine.First(e => e["user_id"]!.GetValue<Guid>() == first);
        registered["version"]!.GetValue<long>().ShouldBe(1);
        registered["origin"]!.GetValue<string>().ShouldBe("api/v1");
        registered["data"]!["password_hash"]!.GetValue<string>().ShouldBe("[redacted]");
        registered["data"]!["email"]!.GetValue<string>().ShouldStartWith("feed-a.");

        // NDJSON: the same events, one JSON object a line, streamed to the end.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/events?after={start}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        var response = await stack.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
        var lines = new List<JsonObject>();
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
            while (await reader.ReadLineAsync() is { } line)
                lines.Add(JsonNode.Parse(line)!.AsObject());
        var streamed = lines.Select(l => l["sequence"]!.GetValue<long>()).ToList();
        streamed.Take(sequences.Count).ShouldBe(sequences);
        streamed.ShouldBeInOrder(SortDirection.Ascending);
        Mine(lines).Select(l => l.ToJsonString()).ShouldBe(mine.Select(e => e.ToJsonString()));

        List<JsonObject> Mine(IEnumerable<JsonObject> events) => events
            .Where(e => e["user_id"]!.GetValue<Guid>() is var u && (u == first || u == second)).ToList();
    }

    [Fact]
    public async Task bad_cursors_and_limits_are_400()
    {
        foreach (var query in new[] { "after=-1", "after=x", "limit=0", "limit=1001" })
            (await stack.Api.GetAsync($"/api/v1/events?{query}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
    }

    private async Task<List<JsonObject>> ReadAllPagesAsync(string url)
    {
        var events = new List<JsonObject>();
        while (true)
        {
            var page = await stack.GetObjectAsync(url);
            var batch = page["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
            batch.Count.ShouldBeLessThanOrEqualTo(2);
            if (batch.Count == 0)
                return events;
            events.AddRange(batch);
            url = page["next"]!.GetValue<string>();
        }
    }

    private async Task<long> CurrentTailAsync()
    {
        var rows = await stack.RawRowsAsync("select coalesce(max(seq_id), 0) from {schema}.mt_events");
        return long.Parse(rows.Single());
    }
}
