namespace Users.Projections;

/// <summary>
/// A verification token issued by the notifications worker and redeemed by the API.
/// Stored by the SHA-256 of the token, so a database reader cannot redeem it.
/// </summary>
public sealed class EmailVerificationToken
{
    /// <summary>Hex SHA-256 of the token sent in the mail.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    public string Email { get; set; } = "";
    /// <summary>The secondary address the token was mailed for (SecondaryEmailAdded.EmailId); null for the primary address.</summary>
    public Guid? EmailId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>The integration event that caused the mail.</summary>
    public Guid CausationEventId { get; set; }
}
