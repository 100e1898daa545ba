using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Wolverine.Marten;

namespace Users.Api.Users.Following;

/// <summary>Follow (or stop following) another user; recorded on the follower's stream (<see cref="UserId"/>).</summary>
public sealed record ChangeFollowing(Guid UserId, Guid FolloweeId, bool Follow, RequestContext Context);

public static class ChangeFollowingHandler
{
    // The follower's stream is locked, so a repeated follow sees the first one.
    public static async Task<(WriteOutcome, Events)> Handle(ChangeFollowing command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? follower,
        IDocumentSession session, CancellationToken ct)
    {
        if (follower is null)
            return (WriteOutcome.NotFound(command.UserId), []);
        if (command.FolloweeId != follower.Id && await session.Events.FetchStreamStateAsync(command.FolloweeId, ct) is null)
            return (WriteOutcome.NotFound(command.FolloweeId), []);

        IReadOnlyList<object> events;
        if (command.Follow)
        {
            var (followed, failure) = Domain.Decisions.Following.Follow(follower, command.FolloweeId);
            if (failure == FollowFailure.CannotFollowSelf)
                return (WriteOutcome.Invalid([new FieldError("/other_id", "A user cannot follow themself.")]), []);
            events = followed;
        }
        else
            events = Domain.Decisions.Following.Unfollow(follower, command.FolloweeId);

        if (events.Count > 0)
            session.StampWith(command.Context);
        return (WriteOutcome.Done(follower.Version + events.Count), [.. events]);
    }
}
