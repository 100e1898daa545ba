namespace Users.Projections;

/// <summary>
/// The latest one-time code texted to a phone number by the notifications worker, redeemed by the API. One per
/// number (the id is the phone number's id): a new request replaces the code, voiding the one before. Stored by
/// <c>SecretTokens.HashCode</c>, never in clear.
/// </summary>
public sealed class PhoneVerificationCode
{
    /// <summary>The phone number's id (PhoneNumberAdded.PhoneNumberId).</summary>
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string PhoneNumber { get; set; } = "";
    public string CodeHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Wrong codes submitted against this one; at the limit it is locked.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>The integration event that asked for the code (PhoneNumberVerificationRequested).</summary>
    public Guid CausationEventId { get; set; }
}
