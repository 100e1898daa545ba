using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;

namespace Users.Api.Users.Following;

/// <summary>Follow (or stop following) another user; recorded on the follower's stream.</summary>
public sealed record ChangeFollowing(Guid FollowerId, Guid FolloweeId, bool Follow, RequestContext Context);

public enum FollowingOutcome { Done, FollowerNotFound, FolloweeNotFound, CannotFollowSelf }

public static class ChangeFollowingHandler
{
    public static async Task<FollowingOutcome> Handle(ChangeFollowing command, IDocumentSession session, CancellationToken ct)
    {
        // Locking the follower's stream serializes their follows, so a repeated follow sees the first one.
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.FollowerId, ct);
        if (stream.Aggregate is not { } follower)
            return FollowingOutcome.FollowerNotFound;
        if (command.FolloweeId != follower.Id && await session.Events.FetchStreamStateAsync(command.FolloweeId, ct) is null)
            return FollowingOutcome.FolloweeNotFound;

        IReadOnlyList<object> events;
        if (command.Follow)
        {
            var (followed, failure) = Domain.Decisions.Following.Follow(follower, command.FolloweeId);
            if (failure == FollowFailure.CannotFollowSelf)
                return FollowingOutcome.CannotFollowSelf;
            events = followed;
        }
        else
            events = Domain.Decisions.Following.Unfollow(follower, command.FolloweeId);

        if (events.Count > 0)
        {
            session.StampWith(command.Context);
            stream.AppendMany(events);
        }
        return FollowingOutcome.Done;
    }
}
