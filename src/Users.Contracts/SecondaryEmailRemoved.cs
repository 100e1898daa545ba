using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>An address was removed from the user's further emails.</summary>
public sealed record SecondaryEmailRemoved : UserEvent
{
    /// <summary>The entry's id in the API's emails[].</summary>
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    /// <summary>The removed address.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
