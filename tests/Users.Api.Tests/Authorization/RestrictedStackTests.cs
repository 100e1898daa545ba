using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Auth;
using Users.Api.Tests.Infrastructure;

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
    };
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
