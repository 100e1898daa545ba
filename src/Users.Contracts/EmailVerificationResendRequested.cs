using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user asked for another verification mail for their current address.</summary>
public sealed record EmailVerificationResendRequested : UserEvent
{
    /// <summary>The address to verify.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
