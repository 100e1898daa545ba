using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The address was proven with the token from the verification mail.</summary>
public sealed record EmailVerified : UserEvent
{
    /// <summary>The verified address.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
