using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum FollowFailure { None, CannotFollowSelf }

public static class Following
{
    /// <summary>Following someone already followed decides nothing: the edge exists once.</summary>
    public static (IReadOnlyList<object> Events, FollowFailure Failure) Follow(User follower, Guid followeeId)
    {
        if (followeeId == follower.Id)
            return ([], FollowFailure.CannotFollowSelf);
        return follower.Following.Contains(followeeId) ? ([], FollowFailure.None) : ([new UserFollowed(followeeId)], FollowFailure.None);
    }

    /// <summary>Unfollowing someone not followed decides nothing.</summary>
    public static IReadOnlyList<object> Unfollow(User follower, Guid followeeId) =>
        follower.Following.Contains(followeeId) ? [new UserUnfollowed(followeeId)] : [];
}
