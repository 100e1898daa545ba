using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The primary address changed; the new one is unverified.</summary>
public sealed record EmailChanged : UserEvent
{
    /// <summary>The address before the change.</summary>
    [JsonPropertyName("old_email")] public string OldEmail { get; init; } = "";
    /// <summary>The new primary address.</summary>
    [JsonPropertyName("new_email")] public string NewEmail { get; init; } = "";
}
