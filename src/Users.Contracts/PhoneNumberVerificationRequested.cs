using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user asked for a one-time code texted to a phone number (the code never leaves the service).</summary>
public sealed record PhoneNumberVerificationRequested : UserEvent
{
    /// <summary>The entry's id in the API's phone_numbers[].</summary>
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    /// <summary>E.164, e.g. "+14155552671".</summary>
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}
