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
        var id = await stack.RegisterIdAsync(new { email, username, emails = new[] { new { email = secondary } } });

        // Erasure is another use case; its event is what the claims react to.
        await using (var session = stack.Store.LightweightSession())
        {
            session.Events.Append(id, new UserErased(["email", "emails", "username"]));
            await session.SaveChangesAsync();
        }

        await using (var query = stack.Store.QuerySession())
        {
            (await query.Query<EmailClaim>().CountAsync(c => c.UserId == id)).ShouldBe(0);
            (await query.Query<UsernameClaim>().CountAsync(c => c.UserId == id)).ShouldBe(0);
        }
        var again = await stack.Api.PostJsonAsync("/api/v1/users", new { email = secondary, username, emails = new[] { new { email } } });
        again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task removing_a_secondary_address_frees_it_for_another_user()
    {
        var secondary = HttpJson.UniqueEmail("shared");
        var first = await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), emails = new[] { new { email = secondary } } });
        var second = await stack.RegisterIdAsync();
        (await stack.PatchAsync(second, $$"""{"email": "{{secondary}}"}""")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        (await stack.PatchAsync(first, """{"emails": []}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.PatchAsync(second, $$"""{"email": "{{secondary}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
