using JasperFx.Events;
using Marten.Events.Projections;
using Users.Domain.Events;

namespace Users.Projections;

/// <summary>
/// One follow event moves two counts: the follower's (its own stream) and the followee's (named in the
/// event), so the projection spans streams. The deciders never emit a repeated follow or unfollow,
/// so counting events is counting edges.
/// </summary>
public sealed partial class FollowCountsProjection : MultiStreamProjection<FollowCounts, Guid>
{
    public FollowCountsProjection()
    {
        Identities<IEvent<UserFollowed>>(e => [e.StreamId, e.Data.FolloweeId]);
        Identities<IEvent<UserUnfollowed>>(e => [e.StreamId, e.Data.FolloweeId]);
    }

    public override FollowCounts? Evolve(FollowCounts? snapshot, Guid id, IEvent e)
    {
        var step = e.Data switch
        {
            UserFollowed => 1,
            UserUnfollowed => -1,
            _ => 0,
        };
        if (step == 0)
            return snapshot;
        var counts = snapshot ?? new FollowCounts { Id = id };
        // The document whose id is the event's stream is the follower's; the other one is the followee's.
        if (e.StreamId == id)
            counts.FollowingCount += step;
        else
            counts.FollowerCount += step;
        return counts;
    }
}
