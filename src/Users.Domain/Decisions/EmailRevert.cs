using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum RevertFailure
{
    None,
    InvalidToken,
    Expired,
    AlreadyUsed,
    /// <summary>The address was not verified when the change left it: nobody proved it was the owner's.</summary>
    AddressWasUnverified,
}

/// <summary>
/// What the service knows of a revert token when the previous owner of an address presents it: the token itself,
/// when the change it undoes happened, whether the address it restores was verified when that change left it, and
/// the password (hash) the user had then.
/// </summary>
public sealed record PresentedRevertToken(Guid UserId, string RestoredEmail, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt,
    DateTimeOffset ChangedAt, bool RestoredEmailWasVerified, string? PasswordHashBeforeChange = null);

public static class EmailRevert
{
    /// <summary>
    /// Restores the address the token was issued for, as verified (its owner just proved it by using the
    /// link mailed there), whatever the address is now: whoever changed it again must not lock the owner out.
    /// A recovery wins: the tokens of every change before it are void (the thief's link for a later change of
    /// theirs must not take the account back), only an address verified when the change left it comes back, and
    /// a password changed since is put back as it was.
    /// </summary>
    public static (IReadOnlyList<object> Events, RevertFailure Failure) Decide(
        User current, PresentedRevertToken? token, DateTimeOffset now)
    {
        if (token is null || token.UserId != current.Id || current.IsErased)
            return ([], RevertFailure.InvalidToken);
        if (token.UsedAt is not null)
            return ([], RevertFailure.AlreadyUsed);
        if (token.ExpiresAt <= now)
            return ([], RevertFailure.Expired);
        if (current.LastRecoveredAt is { } recovered && token.ChangedAt < recovered)
            return ([], RevertFailure.InvalidToken);
        if (!token.RestoredEmailWasVerified)
            return ([], RevertFailure.AddressWasUnverified);
        if (string.Equals(current.Email, token.RestoredEmail, StringComparison.OrdinalIgnoreCase) && current.EmailVerified)
            return ([], RevertFailure.None);
        List<object> events = [new EmailChangeReverted(current.Email, token.RestoredEmail, now)];
        // A password set since the change is the thief's as likely as the owner's: put back the one from before.
        if (token.PasswordHashBeforeChange is { } before && current.PasswordHash != before)
            events.Add(new PasswordChanged(before));
        return (events, RevertFailure.None);
    }
}
