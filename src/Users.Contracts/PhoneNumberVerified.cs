using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>A phone number was verified: the user typed the code texted to it.</summary>
public sealed record PhoneNumberVerified : UserEvent
{
    /// <summary>The entry's id in the API's phone_numbers[].</summary>
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    /// <summary>E.164, e.g. "+14155552671".</summary>
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}
