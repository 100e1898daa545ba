using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Projections;

namespace Users.Api.Tests.Profile;

[Collection(ProfileCollection.Name)]
public sealed class IdempotencyTests(ProfileStack stack)
{
    private static string NewKey() => "key-" + Guid.NewGuid();

    [Fact]
    public async Task a_repeated_registration_with_one_key_returns_the_first_response_and_registers_once()
    {
        var key = NewKey();
        var body = $$"""{"email": "{{HttpJson.UniqueEmail("once")}}", "first_name": "Ada"}""";
        var first = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", body, idempotencyKey: key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await stack.EventCountAsync();

        var again = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", body, idempotencyKey: key);
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await again.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        again.Headers.Location.ShouldBe(first.Headers.Location);
        again.Headers.ETag.ShouldBe(first.Headers.ETag);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await stack.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task a_repeated_update_with_one_key_is_replayed_even_after_later_changes()
    {
        var id = await stack.RegisterIdAsync();
        var key = NewKey();
        var first = await stack.PatchAsync(id, """{"company": "A"}""", idempotencyKey: key);
        first.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await stack.PatchAsync(id, """{"company": "B"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var replay = await stack.PatchAsync(id, """{"company": "A"}""", idempotencyKey: key);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await replay.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await stack.GetAsync(id))["company"]!.GetValue<string>().ShouldBe("B");
        (await stack.StreamAsync(id)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task one_key_with_another_body_is_422_and_applies_nothing()
    {
        var id = await stack.RegisterIdAsync();
        var key = NewKey();
        (await stack.PatchAsync(id, """{"company": "A"}""", idempotencyKey: key)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var other = await stack.PatchAsync(id, """{"company": "Z"}""", idempotencyKey: key);
        (await other.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>().ShouldContain("Idempotency-Key");
        (await stack.GetAsync(id))["company"]!.GetValue<string>().ShouldBe("A");
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_run_once_and_all_get_its_response()
    {
        var key = NewKey();
        var email = HttpJson.UniqueEmail("concurrent");
        var body = $$"""{"email": "{{email}}"}""";
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            stack.SendAsync(HttpMethod.Post, "/api/v1/users", body, idempotencyKey: key)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Count().ShouldBe(1);
        await using var session = stack.Store.QuerySession();
        (await session.Query<UserProfile>().CountAsync(p => p.EmailKey == email)).ShouldBe(1);
    }

    [Fact]
    public async Task a_validation_failure_is_kept_too_and_a_bad_key_is_400()
    {
        var key = NewKey();
        var first = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", """{"email": "nope"}""", idempotencyKey: key);
        var again = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", """{"email": "nope"}""", idempotencyKey: key);
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await again.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());

        var bad = await stack.SendAsync(HttpMethod.Post, "/api/v1/users", """{"email": "nope"}""", idempotencyKey: new string('k', 300));
        await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
