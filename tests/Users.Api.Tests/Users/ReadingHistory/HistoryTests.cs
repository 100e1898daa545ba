using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing;

[Collection(StackCollection.Name)]
public sealed class HistoryTests(UsersStack stack)
{
    [Fact]
    public async Task history_lists_each_event_with_its_metadata_and_exact_field_changes_secrets_redacted()
    {
        var email = HttpJson.UniqueEmail("hist");
        var newEmail = HttpJson.UniqueEmail("hist-new");
        var id = await stack.RegisterAsync(new { email, first_name = "Ada", password = "first secret value" }, "hist-1");
        await stack.WaitForVersionAsync(id, 2);
        (await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Augusta", last_name = "King" }, "hist-2"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", new { email = newEmail, password = "second secret value" }, "hist-3"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.WaitForVersionAsync(id, 6);
        (await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", new { last_name = (string?)null }, "hist-4"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await stack.GetObjectAsync($"/api/v1/users/{id}/history");
        history["user_id"]!.GetValue<Guid>().ShouldBe(id);
        history["next"].ShouldBeNull();
        var entries = history["events"]!.AsArray().Select(e => e!.AsObject()).ToList();

        entries.Select(e => e["version"]!.GetValue<long>()).ShouldBe([1L, 2, 3, 4, 5, 6, 7]);
        entries.Select(e => e["type"]!.GetValue<string>()).ShouldBe(["user_registered", "email_verification_requested",
            "user_profile_updated", "email_changed", "password_changed", "email_verification_requested", "user_profile_updated"]);
        entries.Select(e => e["correlation_id"]!.GetValue<string>()).ShouldBe(["hist-1", "hist-1", "hist-2", "hist-3", "hist-3", "hist-3", "hist-4"]);
        entries.Select(e => e["origin"]!.GetValue<string>()).ShouldBe(["api/v1", "notifications", "api/v1", "api/v1", "api/v1", "notifications", "api/v1"]);
        entries.Select(e => e["actor"]!.GetValue<string>() == "system").ShouldBe([false, true, false, false, false, true, false]);
        entries.Select(e => e["occurred_at"]!.GetValue<DateTimeOffset>()).ShouldBeInOrder();

        var changes = entries.Select(e => e["changes"]!.ToJsonString()).ToList();
        changes.ShouldBe(
        [
            Json(new JsonObject
            {
                ["email"] = Change(null, email), ["email_verified"] = Change(null, false), ["first_name"] = Change(null, "Ada"),
                ["is_active"] = Change(null, true), ["password"] = Change(null, "[redacted]"),
            }),
            "{}",
            Json(new JsonObject { ["first_name"] = Change("Ada", "Augusta"), ["last_name"] = Change(null, "King") }),
            Json(new JsonObject { ["email"] = Change(email, newEmail) }),
            Json(new JsonObject { ["password"] = Change("[redacted]", "[redacted]") }),
            "{}",
            Json(new JsonObject { ["last_name"] = Change("King", null) }),
        ]);
        // No hash, salted or not, leaves through history.
        history.ToJsonString().ShouldNotContain("AQAAAA");
    }

    [Fact]
    public async Task history_pages_by_after_version_with_a_next_link_until_the_end()
    {
        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("pages") });
        await stack.WaitForVersionAsync(id, 2);
        foreach (var name in new[] { "A", "B", "C", "D" })
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var versions = new List<long>();
        var pages = 0;
        string? next = $"/api/v1/users/{id}/history?limit=2";
        while (next is not null)
        {
            var page = await stack.GetObjectAsync(next);
            var events = page["events"]!.AsArray();
            events.Count.ShouldBeLessThanOrEqualTo(2);
            versions.AddRange(events.Select(e => e!["version"]!.GetValue<long>()));
            next = page["next"]?.GetValue<string>();
            pages++;
        }
        versions.ShouldBe([1L, 2, 3, 4, 5, 6]);
        pages.ShouldBe(3);

        // A page in the middle still reports "from" as the state before it, by replaying from the start.
        var middle = await stack.GetObjectAsync($"/api/v1/users/{id}/history?after_version=5&limit=1");
        middle["events"]![0]!["changes"]!.ToJsonString().ShouldBe(Json(new JsonObject { ["first_name"] = Change("C", "D") }));
    }

    [Fact]
    public async Task history_of_an_unknown_user_is_404_and_bad_paging_is_400()
    {
        (await stack.Api.GetAsync($"/api/v1/users/{Guid.CreateVersion7()}/history")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var id = await stack.RegisterAsync(new { email = HttpJson.UniqueEmail("badpage") });
        foreach (var query in new[] { "limit=0", "limit=501", "limit=x", "after_version=-1", "after_version=1.5" })
        {
            var response = await stack.Api.GetAsync($"/api/v1/users/{id}/history?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
    }

    private static JsonObject Change(JsonNode? from, JsonNode? to) => new() { ["from"] = from, ["to"] = to };

    private static string Json(JsonObject o) => o.ToJsonString();
}
