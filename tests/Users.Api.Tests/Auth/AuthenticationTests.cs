using System.Net;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Authorization;

[Collection(StackCollection.Name)]
public sealed class AuthenticationTests(UsersStack stack)
{
    [Fact]
    public async Task without_credentials_an_api_route_answers_401_problem_naming_both_schemes()
    {
        var response = await stack.AnonymousClient().GetAsync($"/api/v1/users/{Guid.CreateVersion7()}");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
        challenges.ShouldContain("Bearer");
        challenges.ShouldContain("ApiKey");
    }

    [Fact]
    public async Task health_and_static_pages_need_no_credentials()
    {
        var anonymous = stack.AnonymousClient();
        (await anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/verify-email.html")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task an_expired_or_forged_token_is_401_and_says_which()
    {
        var id = await stack.RegisterSettledAsync("tokens");

        var expired = await stack.ClientWithToken(stack.Token(id, expires: DateTimeOffset.UtcNow.AddMinutes(-5))).GetAsync($"/api/v1/users/{id}");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await expired.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("expired");
        expired.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");

        var forged = await stack.ClientWithToken(stack.Token(id, signingKey: new string('x', 40))).GetAsync($"/api/v1/users/{id}");
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var otherIssuer = await stack.ClientWithToken(stack.Token(id, issuer: "someone-else")).GetAsync($"/api/v1/users/{id}");
        otherIssuer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var otherAudience = await stack.ClientWithToken(stack.Token(id, audience: "another-api")).GetAsync($"/api/v1/users/{id}");
        otherAudience.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_deactivated_users_token_and_keys_stop_working_and_work_again_when_reactivated()
    {
        var id = await stack.RegisterSettledAsync("paused");
        var key = (await (await stack.ClientFor(id).PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "deactivation" })).ReadObjectAsync())["key"]!.GetValue<string>();
        await AppendAsync(id, new UserDeactivated("test"));

        var byToken = await stack.ClientFor(id).GetAsync($"/api/v1/users/{id}");
        byToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await byToken.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("deactivated");
        (await stack.ClientWithApiKey(key).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await AppendAsync(id, new UserReactivated());
        (await stack.ClientFor(id).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.ClientWithApiKey(key).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task events_record_the_user_the_key_or_the_bootstrap_key_as_actor()
    {
        var id = await stack.RegisterSettledAsync("actor");

        (await stack.ClientFor(id).PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Self" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Bootstrap" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var events = await stack.StreamAsync(id);
        events[0].UserName.ShouldBe("api-key:bootstrap");
        events[1].UserName.ShouldBe("system");
        events[2].UserName.ShouldBe(id.ToString());
        events[3].UserName.ShouldBe("api-key:bootstrap");
    }

    [Fact]
    public async Task a_self_registration_is_recorded_as_the_new_user()
    {
        var created = await stack.AnonymousClient().PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("self") });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();

        (await stack.StreamAsync(id))[0].UserName.ShouldBe(id.ToString());
    }

    [Fact]
    public async Task the_development_token_endpoint_mints_a_token_the_api_accepts()
    {
        var id = await stack.RegisterSettledAsync("dev");
        var minted = await stack.AnonymousClient().PostJsonAsync("/dev/tokens", new { sub = id, minutes = 5 });
        minted.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await minted.ReadObjectAsync())["access_token"]!.GetValue<string>();

        (await stack.ClientWithToken(token).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await stack.AnonymousClient().PostJsonAsync("/dev/tokens", new { sub = id, role = "root" })).StatusCode
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    private async Task AppendAsync(Guid id, object @event)
    {
        await using var session = stack.Store.LightweightSession();
        // Appends go through FetchForWriting: the outbox listener needs each event's version before commit.
        (await session.Events.FetchForWriting<Domain.User>(id)).AppendOne(@event);
        await session.SaveChangesAsync();
    }
}
