using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user (the follower, <see cref="UserEvent.UserId"/>) follows another user.</summary>
public sealed record UserFollowed : UserEvent
{
    /// <summary>The user now followed.</summary>
    [JsonPropertyName("followee_id")] public Guid FolloweeId { get; init; }
}
