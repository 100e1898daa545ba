namespace Users.Projections;

/// <summary>
/// The token in the notice mailed to the previous address after a change of email; redeeming it restores
/// that address. Stored by the SHA-256 of the token, like <see cref="EmailVerificationToken"/>.
/// </summary>
public sealed class EmailRevertToken
{
    /// <summary>Hex SHA-256 of the token sent in the mail.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    /// <summary>The address the change moved away from, which the revert restores.</summary>
    public string RestoredEmail { get; set; } = "";
    /// <summary>The address the change moved to.</summary>
    public string ChangedTo { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>The EmailChanged integration event that caused the notice.</summary>
    public Guid CausationEventId { get; set; }
}
