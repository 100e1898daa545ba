using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed class TimeTravelTests(UsersStack stack)
{
    [Fact]
    public async Task each_version_reads_exactly_as_get_returned_right_after_that_update()
    {
        var seen = new Dictionary<long, (string ETag, JsonObject Body)>();
        async Task Snapshot()
        {
            var response = await stack.Api.GetAsync($"/api/v1/users/{IdOf(seen)}");
            var body = await response.ReadObjectAsync();
            seen[body["version"]!.GetValue<long>()] = (response.Headers.ETag!.Tag, body);
        }

        var email = HttpJson.UniqueEmail("travel");
        var id = await stack.RegisterAsync(new { email, first_name = "Ada" });
        seen[0] = ("", new JsonObject { ["id"] = id });
        await Snapshot();
        await stack.WaitForVersionAsync(id, 2);
        await Snapshot();
        foreach (var patch in new object[]
                 {
                     new { last_name = "Lovelace" },
                     new { first_name = "Augusta", last_name = (string?)null },
                     new { email = HttpJson.UniqueEmail("travel-new") },
                 })
        {
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", patch)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Snapshot();
        }
        await stack.WaitForVersionAsync(id, 6);
        await Snapshot();
        seen.Remove(0);
        seen.Keys.Order().ShouldBe([1L, 2, 3, 4, 5, 6]);

        foreach (var (version, (etag, body)) in seen)
        {
            var past = await stack.Api.GetAsync($"/api/v1/users/{id}?version={version}");
            past.StatusCode.ShouldBe(HttpStatusCode.OK);
            past.Headers.ETag!.Tag.ShouldBe(etag);
            etag.ShouldBe($"\"{version}\"");
            (await past.ReadObjectAsync()).ToJsonString().ShouldBe(body.ToJsonString(), $"version {version}");
        }

        // as_of: the state in force at a moment is the one written last before it.
        var third = seen[3].Body;
        var asOf = third["updated_at"]!.GetValue<DateTimeOffset>().AddTicks(10).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffZ");
        var atThatTime = await stack.Api.GetAsync($"/api/v1/users/{id}?as_of={Uri.EscapeDataString(asOf)}");
        atThatTime.StatusCode.ShouldBe(HttpStatusCode.OK);
        atThatTime.Headers.ETag!.Tag.ShouldBe("\"3\"");
        (await atThatTime.ReadObjectAsync()).ToJsonString().ShouldBe(third.ToJsonString());
    }

    [Fact]
    public async Task versions_past_the_end_or_before_the_start_are_404_and_malformed_ones_400()
    {
        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("travel-bad") });
        await stack.WaitForVersionAsync(id, 2);

        (await stack.Api.GetAsync($"/api/v1/users/{id}?version=3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.Api.GetAsync($"/api/v1/users/{Guid.CreateVersion7()}?version=1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.Api.GetAsync($"/api/v1/users/{id}?as_of=2000-01-01T00:00:00Z")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        foreach (var query in new[] { "version=0", "version=-1", "version=abc", "version=1&version=2", "as_of=yesterday",
                     "as_of=2026-01-01T00:00:00", "version=1&as_of=2026-01-01T00:00:00Z" })
        {
            var response = await stack.Api.GetAsync($"/api/v1/users/{id}?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
    }

    private static Guid IdOf(Dictionary<long, (string, JsonObject Body)> seen) => seen[0].Body["id"]!.GetValue<Guid>();
}
