using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Auth;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Authorization;

/// <summary>A stack with low rate limits and registration closed to all but admins.</summary>
public sealed class RestrictedStack : UsersStack
{
    public const int GeneralLimit = 4;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:General:PermitLimit"] = GeneralLimit.ToString(),
        ["RateLimits:General:WindowSeconds"] = "120",
        ["RateLimits:VerificationResend:PermitLimit"] = "2",
        ["RateLimits:VerificationResend:WindowSeconds"] = "600",
        ["Users:OpenRegistration"] = "false",
        ["Users:EmailChangesPerHour"] = EmailChangesPerHour.ToString(),
        // The test server has no client address of its own, so every forwarded address counts here.
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };

    public const int EmailChangesPerHour = 2;
}

[CollectionDefinition(Name)]
public sealed class RestrictedStackCollection : ICollectionFixture<RestrictedStack>
{
    public const string Name = "restricted stack";
}

[Collection(RestrictedStackCollection.Name)]
public sealed class RestrictedStackTests(RestrictedStack stack)
{
    [Fact]
    public async Task a_caller_over_the_limit_gets_429_with_retry_after_while_other_callers_go_on()
    {
        // Users made with admin tokens of their own, so that the bootstrap key's budget is not spent here.
        var first = await Register(stack.ClientFor(Guid.CreateVersion7(), "admin"));
        var second = await Register(stack.ClientFor(Guid.CreateVersion7(), "admin"));
        var busy = stack.ClientFor(first);

        for (var i = 0; i < RestrictedStack.GeneralLimit; i++)
            (await busy.GetAsync($"/api/v1/users/{first}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var throttled = await busy.GetAsync($"/api/v1/users/{first}");

        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 120);
        // Another principal has its own budget; a new token of the same user does not reset it.
        (await stack.ClientFor(second).GetAsync($"/api/v1/users/{second}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.ClientFor(first).GetAsync($"/api/v1/users/{first}")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // Health is outside /api and never throttled.
        (await busy.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void verification_resends_have_their_own_stricter_limit_per_caller_and_user()
    {
        var limits = stack.ApiServices.GetRequiredService<RateLimitSettings>();
        limits.VerificationResend.PermitLimit.ShouldBe(2);
        limits.General.PermitLimit.ShouldBe(RestrictedStack.GeneralLimit);

        var user = Guid.CreateVersion7();
        using var forUser = Limiter(user);
        forUser.AttemptAcquire().IsAcquired.ShouldBeTrue();
        forUser.AttemptAcquire().IsAcquired.ShouldBeTrue();
        using var third = forUser.AttemptAcquire();
        third.IsAcquired.ShouldBeFalse();
        third.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait).ShouldBeTrue();
        wait.ShouldBeGreaterThan(TimeSpan.Zero);

        RateLimiterKeyOf(user).ShouldNotBe(RateLimiterKeyOf(Guid.CreateVersion7()));

        System.Threading.RateLimiting.RateLimiter Limiter(Guid id) =>
            RateLimits.ResendPartition(ContextFor(id), limits.VerificationResend).Factory("");
        string RateLimiterKeyOf(Guid id) => RateLimits.ResendPartition(ContextFor(id), limits.VerificationResend).PartitionKey;
    }

    [Fact]
    public async Task with_registration_closed_only_an_admin_registers_users_and_guessing_keys_is_throttled()
    {
        var email = HttpJson.UniqueEmail("closed");
        (await stack.AnonymousClient().PostJsonAsync("/api/v1/users", new { email })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var byUser = await stack.ClientFor(Guid.CreateVersion7()).PostJsonAsync("/api/v1/users", new { email });
        byUser.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        byUser.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await stack.ClientFor(Guid.CreateVersion7(), "admin").PostJsonAsync("/api/v1/users", new { email })).StatusCode
            .ShouldBe(HttpStatusCode.Created);

        // Refused credentials count against the caller's address (as the anonymous attempt above did):
        // 401s until the budget is spent, then 429. In one test, as both spend the same address's budget.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RestrictedStack.GeneralLimit; i++)
        {
            var guess = stack.ClientWithApiKey("in-" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
            statuses.Add((await guess.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("guess") })).StatusCode);
        }

        statuses.Last().ShouldBe(HttpStatusCode.TooManyRequests);
        statuses.SkipWhile(s => s == HttpStatusCode.Unauthorized).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task every_token_and_key_of_one_user_spends_one_budget()
    {
        var admin = stack.ClientFor(Guid.CreateVersion7(), "admin");
        var user = await Register(admin);
        var first = stack.ClientWithApiKey(await IssueKey(admin, user));
        var second = stack.ClientWithApiKey(await IssueKey(admin, user));
        var token = stack.ClientFor(user);

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { first, second, token, first, second, token })
            statuses.Add((await client.GetAsync($"/api/v1/users/{user}")).StatusCode);

        statuses.Take(RestrictedStack.GeneralLimit).ShouldAllBe(s => s == HttpStatusCode.OK);
        statuses.Skip(RestrictedStack.GeneralLimit).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("PUT", "/users/{0}", """{"user": {"first_name": "Ada"}}""")]
    [InlineData("PUT", "/v1/auth/users/{0}/update", """{"first_name": "Ada"}""")]
    [InlineData("PATCH", "/users/{0}", """{"first_name": "Ada"}""")]
    [InlineData("PUT", "/api/v1/user/{0}", """{"first_name": "Ada"}""")]
    public async Task the_seed_dialect_routes_are_throttled_like_the_canonical_ones(string method, string route, string body)
    {
        var user = await Register(stack.ClientFor(Guid.CreateVersion7(), "admin"));
        var client = stack.ClientFor(user);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RestrictedStack.GeneralLimit; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(route, user))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        statuses.Take(RestrictedStack.GeneralLimit).ShouldNotContain(HttpStatusCode.TooManyRequests);
        statuses.Last().ShouldBe(HttpStatusCode.TooManyRequests);
        // The user's budget is spent on every route alike.
        (await client.GetAsync($"/api/v1/users/{user}")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task behind_a_known_proxy_anonymous_callers_are_counted_by_their_forwarded_address()
    {
        async Task<HttpStatusCode> From(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{Guid.CreateVersion7()}");
            request.Headers.Add("X-Forwarded-For", address);
            return (await stack.AnonymousClient().SendAsync(request)).StatusCode;
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RestrictedStack.GeneralLimit; i++)
            statuses.Add(await From("203.0.113.10"));

        statuses.Take(RestrictedStack.GeneralLimit).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Last().ShouldBe(HttpStatusCode.TooManyRequests);
        (await From("203.0.113.11")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task changes_of_address_are_capped_per_user_and_hour_on_every_route_including_the_dialects()
    {
        var user = await Register(stack.ClientFor(Guid.CreateVersion7(), "admin"));
        var client = stack.ClientFor(user);

        (await client.PatchJsonAsync($"/api/v1/users/{user}", new { email = HttpJson.UniqueEmail("first") })).StatusCode
            .ShouldBe(HttpStatusCode.OK);
        (await client.PutAsync($"/users/{user}", HttpJson.Body(new { user = new { email = HttpJson.UniqueEmail("second") } }))).StatusCode
            .ShouldBe(HttpStatusCode.OK);

        // One change too many: refused whole, on the dialect as on the canonical route, naming the address.
        var third = await client.PutAsync($"/users/{user}",
            HttpJson.Body(new { user = new { email = HttpJson.UniqueEmail("third"), first_name = "Ada" } }));
        third.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var errors = (await third.ReadObjectAsync())["errors"]!.AsArray();
        errors.Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["email"]);
        errors[0]!["message"]!.GetValue<string>().ShouldContain($"at most {RestrictedStack.EmailChangesPerHour} times an hour");

        var canonical = await client.PatchJsonAsync($"/api/v1/users/{user}", new { email = HttpJson.UniqueEmail("fourth") });
        canonical.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await canonical.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/email");

        var stream = await stack.StreamAsync(user);
        stream.Count(e => e.Data is EmailChanged).ShouldBe(RestrictedStack.EmailChangesPerHour);
        stream.ShouldNotContain(e => e.Data is UserProfileUpdated);
    }

    private static async Task<string> IssueKey(HttpClient admin, Guid user)
    {
        var issued = await admin.PostJsonAsync($"/api/v1/users/{user}/api-keys", new { name = "limited" });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await issued.ReadObjectAsync())["key"]!.GetValue<string>();
    }

    private static async Task<Guid> Register(HttpClient admin)
    {
        var created = await admin.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("limited") });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
    }

    private static HttpContext ContextFor(Guid userId)
    {
        var http = new DefaultHttpContext();
        http.Request.RouteValues["id"] = userId.ToString();
        return http;
    }
}
