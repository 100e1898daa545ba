using Marten;
using Users.Projections;

namespace Users.Api.Users;

/// <summary>What every response about a user is made from: the read model and the follow counts.</summary>
public sealed record UserView(UserProfile Profile, FollowCounts? Counts)
{
    public int FollowerCount => Counts?.FollowerCount ?? 0;
    public int FollowingCount => Counts?.FollowingCount ?? 0;

    /// <summary>Both documents in one round trip; null when the user does not exist.</summary>
    public static async Task<UserView?> LoadAsync(IQuerySession query, Guid id, CancellationToken ct)
    {
        var batch = query.CreateBatchQuery();
        var profile = batch.Load<UserProfile>(id);
        var counts = batch.Load<FollowCounts>(id);
        await batch.Execute(ct);
        return await profile is { } found ? new UserView(found, await counts) : null;
    }
}
