using System.Text.Json.Serialization;

// Verifying the further addresses: published like every contract (docs/events.md), one exchange each.
namespace Users.Contracts;

/// <summary>
/// A secondary address was verified (the user redeemed the token mailed to it). <see cref="EmailVerified"/> stays
/// about the primary address only.
/// </summary>
public sealed record SecondaryEmailVerified : UserEvent
{
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

/// <summary>The user asked for another verification mail for a secondary address.</summary>
public sealed record SecondaryEmailVerificationResendRequested : UserEvent
{
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

/// <summary>The user asked for a one-time code texted to a phone number (the code never leaves the service).</summary>
public sealed record PhoneNumberVerificationRequested : UserEvent
{
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    /// <summary>E.164, e.g. "+14155552671".</summary>
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}

/// <summary>A phone number was verified (the user typed the code texted to it).</summary>
public sealed record PhoneNumberVerified : UserEvent
{
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}
