using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user asked for another verification mail for a secondary address; the notifications worker sends it.</summary>
public sealed record SecondaryEmailVerificationResendRequested : UserEvent
{
    /// <summary>The entry's id in the API's emails[].</summary>
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    /// <summary>The address to mail.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
