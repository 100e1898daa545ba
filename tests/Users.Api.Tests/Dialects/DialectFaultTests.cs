using System.Net;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Tests.Authorization;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Rules;

namespace Users.Api.Tests.Dialects;

/// <summary>A stack whose profile validation throws for one marker value, to reach the last-resort 500 through the real pipeline.</summary>
public sealed class FaultyValidationStack : UsersStack
{
    public const string Marker = "fault-injected";

    protected override bool StartWorker => false;

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureTestServices(services => services.AddSingleton<IValidator<ProfileValues>>(new ThrowingOnMarker()));

    private sealed class ThrowingOnMarker : AbstractValidator<ProfileValues>
    {
        public ThrowingOnMarker()
        {
            Include(new ProfileValuesValidator());
            RuleFor(x => x).Must(v => v.Get("last_name")?.ToString() != Marker ? true : throw new InvalidOperationException("Fault injected by the test."));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FaultyValidationStackCollection : ICollectionFixture<FaultyValidationStack>
{
    public const string Name = "faulty validation stack";
}

/// <summary>The last-resort 500 is written in each dialect's family, and as problem details on the canonical API.</summary>
[Collection(FaultyValidationStackCollection.Name)]
public sealed class DialectFaultTests(FaultyValidationStack stack)
{
    [Fact]
    public async Task an_unexpected_failure_answers_500_in_each_dialect_family_and_as_problem_details_on_the_canonical_api()
    {
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("fault") });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var fault = new JsonObject { ["last_name"] = FaultyValidationStack.Marker };

        foreach (var call in DialectCall.All)
        {
            var response = await call.SendJsonAsync(stack, id, Caller.Admin, id, fault.DeepClone().AsObject());
            await response.ShouldBeInFamilyAsync(call.Name, HttpStatusCode.InternalServerError);
        }

        await (await stack.Api.PutAsync($"/api/v1/users/{id}", HttpJson.Body(fault.ToJsonString())))
            .ShouldBeProblemDetailsAsync(HttpStatusCode.InternalServerError);
    }
}

/// <summary>The rate limiter's 429, on the dialect it covers (seed 000 lives under /api), in that dialect's family.</summary>
[Collection(RestrictedStackCollection.Name)]
public sealed class DialectRateLimitTests(RestrictedStack stack)
{
    [Fact]
    public async Task a_throttled_seed_000_client_gets_429_in_its_family_with_retry_after()
    {
        // An admin of its own, so that no other test's budget is spent; the user need not exist.
        var client = stack.ClientFor(Guid.CreateVersion7(), "admin");
        var path = $"/api/v1/user/{Guid.CreateVersion7()}";
        for (var i = 0; i < RestrictedStack.GeneralLimit; i++)
            (await client.PutAsync(path, HttpJson.Body(new { first_name = "X" }))).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var throttled = await client.PutAsync(path, HttpJson.Body(new { first_name = "X" }));

        await throttled.ShouldBeInFamilyAsync("seed-000", HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 120);
    }
}
