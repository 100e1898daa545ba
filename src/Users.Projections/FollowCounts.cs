namespace Users.Projections;

/// <summary>How many users follow a user and how many they follow, projected from the follow events.</summary>
public sealed class FollowCounts
{
    public Guid Id { get; set; }
    public int FollowerCount { get; set; }
    public int FollowingCount { get; set; }
}
