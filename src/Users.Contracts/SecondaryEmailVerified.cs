using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>A secondary address was verified: the user redeemed the token mailed to it. <see cref="EmailVerified"/> stays about the primary address only.</summary>
public sealed record SecondaryEmailVerified : UserEvent
{
    /// <summary>The entry's id in the API's emails[].</summary>
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    /// <summary>The verified address.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
