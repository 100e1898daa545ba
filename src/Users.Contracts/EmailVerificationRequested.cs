using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>A verification mail was sent to the address (recorded by the notifications worker, actor "system").</summary>
public sealed record EmailVerificationRequested : UserEvent
{
    /// <summary>The address the mail went to.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
    /// <summary>When the mail's link stops working.</summary>
    [JsonPropertyName("expires_at")] public DateTimeOffset ExpiresAt { get; init; }
}
