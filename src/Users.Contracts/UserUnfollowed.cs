using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user (the follower, <see cref="UserEvent.UserId"/>) no longer follows another user.</summary>
public sealed record UserUnfollowed : UserEvent
{
    /// <summary>The user no longer followed.</summary>
    [JsonPropertyName("followee_id")] public Guid FolloweeId { get; init; }
}
