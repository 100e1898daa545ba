using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests;

public sealed class FollowingDecisionTests
{
    private readonly User _follower = new() { Id = Guid.CreateVersion7() };
    private readonly Guid _other = Guid.CreateVersion7();

    [Fact]
    public void following_someone_new_is_one_event()
    {
        var (events, failure) = Following.Follow(_follower, _other);
        failure.ShouldBe(FollowFailure.None);
        events.ShouldHaveSingleItem().ShouldBe(new UserFollowed(_other));
    }

    [Fact]
    public void following_someone_already_followed_decides_nothing()
    {
        _follower.Apply(new UserFollowed(_other));
        Following.Follow(_follower, _other).ShouldBe(([], FollowFailure.None));
    }

    [Fact]
    public void following_yourself_is_refused()
    {
        var (events, failure) = Following.Follow(_follower, _follower.Id);
        (events.Count, failure).ShouldBe((0, FollowFailure.CannotFollowSelf));
    }

    [Fact]
    public void unfollowing_is_an_event_only_when_followed()
    {
        Following.Unfollow(_follower, _other).ShouldBeEmpty();
        _follower.Apply(new UserFollowed(_other));
        Following.Unfollow(_follower, _other).ShouldHaveSingleItem().ShouldBe(new UserUnfollowed(_other));
    }
}
