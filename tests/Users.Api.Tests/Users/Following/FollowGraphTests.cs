using System.Net;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Following;

[Collection(StackCollection.Name)]
public sealed class FollowGraphTests(UsersStack stack)
{
    [Fact]
    public async Task counts_follow_both_sides_and_repeats_change_nothing()
    {
        var ada = await stack.RegisterSettledAsync("ada");
        var bob = await stack.RegisterSettledAsync("bob");
        var cy = await stack.RegisterSettledAsync("cy");

        (await Follow(ada, bob)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Follow(ada, bob)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Follow(cy, bob)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Follow(bob, ada)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await CountsAsync(ada)).ShouldBe((1, 1));
        (await CountsAsync(bob)).ShouldBe((2, 1));
        (await CountsAsync(cy)).ShouldBe((0, 1));
        // The repeated follow appended nothing: one UserFollowed on ada's stream.
        (await stack.StreamAsync(ada)).Count(e => e.Data is UserFollowed).ShouldBe(1);

        (await Unfollow(ada, bob)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Unfollow(ada, bob)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Unfollow(ada, cy)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await CountsAsync(ada)).ShouldBe((1, 0));
        (await CountsAsync(bob)).ShouldBe((1, 1));
        (await CountsAsync(cy)).ShouldBe((0, 1));
        var adaEvents = await stack.StreamAsync(ada);
        adaEvents.Count(e => e.Data is UserUnfollowed).ShouldBe(1);
        adaEvents.Last().Data.ShouldBe(new UserUnfollowed(bob));

        // Following again after unfollowing counts again.
        await Follow(ada, bob);
        (await CountsAsync(bob)).ShouldBe((2, 1));
    }

    [Fact]
    public async Task a_user_who_never_followed_or_was_followed_shows_zero_counts()
    {
        var id = await stack.RegisterSettledAsync("alone");
        (await CountsAsync(id)).ShouldBe((0, 0));
    }

    [Fact]
    public async Task following_yourself_is_422_and_unknown_users_are_404_appending_nothing()
    {
        var ada = await stack.RegisterSettledAsync("self");

        var self = await Follow(ada, ada);
        self.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await self.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/other_id");

        (await Follow(ada, Guid.CreateVersion7())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Unfollow(ada, Guid.CreateVersion7())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Follow(Guid.CreateVersion7(), ada)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.StreamAsync(ada)).Count.ShouldBe(2);
        (await CountsAsync(ada)).ShouldBe((0, 0));
    }

    private Task<HttpResponseMessage> Follow(Guid follower, Guid followee) =>
        stack.Api.PutAsync($"/api/v1/users/{follower}/following/{followee}", null);

    private Task<HttpResponseMessage> Unfollow(Guid follower, Guid followee) =>
        stack.Api.DeleteAsync($"/api/v1/users/{follower}/following/{followee}");

    private async Task<(int Followers, int Following)> CountsAsync(Guid id)
    {
        var user = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        return (user["follower_count"]!.GetValue<int>(), user["following_count"]!.GetValue<int>());
    }
}
