using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>An address was added to the user's further emails (not the primary one).</summary>
public sealed record SecondaryEmailAdded : UserEvent
{
    /// <summary>The entry's id in the API's emails[].</summary>
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    /// <summary>The added address.</summary>
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}
