using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>A user was created (always version 1).</summary>
public sealed record UserRegistered : UserEvent
{
    /// <summary>The user's primary email address (unverified).</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
