using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Profile;

[Collection(ProfileCollection.Name)]
public sealed class ClaimTests(ProfileStack stack)
{
    [Fact]
    public async Task an_erased_user_releases_every_address_and_the_username()
    {
        var email = HttpJson.UniqueEmail("erased");
        var secondary = HttpJson.UniqueEmail("erased2");
        var username = "gone" + Guid.NewGuid().ToString("N")[..10];
        var id = await stack.RegisterVerifiedAsync(email, new { username, emails = new[] { new { email = secondary } } });
        await using (var query = stack.Store.QuerySession())
            (await query.Query<EmailOwnership>().CountAsync(c => c.UserId == id)).ShouldBe(1);

        // Erasure is another use case; its event is what the claims react to.
        await using (var session = stack.Store.LightweightSession())
        {
            (await session.Events.FetchForWriting<Domain.User>(id)).AppendOne(new UserErased(["email", "emails", "username"]));
            await session.SaveChangesAsync();
        }

        await using (var query = stack.Store.QuerySession())
        {
            (await query.Query<EmailOwnership>().CountAsync(c => c.UserId == id)).ShouldBe(0);
            (await query.Query<UsernameOwnership>().CountAsync(c => c.UserId == id)).ShouldBe(0);
        }
        var again = await stack.Api.PostJsonAsync("/api/v1/users", new { email = secondary, username, emails = new[] { new { email } } });
        again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task a_secondary_address_claims_nothing_and_a_verified_one_is_free_again_once_changed()
    {
        // Secondary addresses cannot be verified (yet), so they are nobody's.
        var secondary = HttpJson.UniqueEmail("shared");
        await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), emails = new[] { new { email = secondary } } });
        var second = await stack.RegisterIdAsync();
        (await stack.PatchAsync(second, $$"""{"email": "{{secondary}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var verified = HttpJson.UniqueEmail("verified");
        var owner = await stack.RegisterVerifiedAsync(verified);
        (await stack.PatchAsync(second, $$"""{"email": "{{verified}}"}""")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await stack.PatchAsync(owner, $$"""{"email": "{{HttpJson.UniqueEmail("moved")}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.PatchAsync(second, $$"""{"email": "{{verified}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task rebuilding_the_claims_from_the_events_gives_the_same_claims()
    {
        var first = await stack.RegisterVerifiedAsync(HttpJson.UniqueEmail("rb"), new
        {
            username = "rb" + Guid.NewGuid().ToString("N")[..10],
            emails = new[] { new { email = HttpJson.UniqueEmail("rb2") }, new { email = HttpJson.UniqueEmail("rb3") } },
        });
        var moved = HttpJson.UniqueEmail("moved");
        (await stack.PatchAsync(first, $$"""{"email": "{{moved}}", "emails": [], "username": null}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.VerifyEmailAsync(first, moved)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var unverified = HttpJson.UniqueEmail("unverified");
        await stack.RegisterIdAsync(new { email = unverified });

        var before = await ClaimsAsync();
        before.ShouldContain($"email:{moved}:{first}");
        before.ShouldNotContain(c => c.StartsWith($"email:{unverified}:", StringComparison.Ordinal));
        var daemon = await stack.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<UniquenessProjection>(TimeSpan.FromMinutes(1), CancellationToken.None);
        await daemon.StopAllAsync();

        (await ClaimsAsync()).ShouldBe(before);
    }

    private async Task<List<string>> ClaimsAsync()
    {
        await using var query = stack.Store.QuerySession();
        var emails = (await query.Query<EmailOwnership>().ToListAsync()).Select(c => $"email:{c.Id}:{c.UserId}");
        var usernames = (await query.Query<UsernameOwnership>().ToListAsync()).Select(c => $"username:{c.Id}:{c.UserId}");
        return emails.Concat(usernames).Order(StringComparer.Ordinal).ToList();
    }
}
