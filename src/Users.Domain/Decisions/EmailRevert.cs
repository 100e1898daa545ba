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
/// when the change it undoes happened, and whether the address it restores was verified when that change left it.
/// </summary>
public sealed record PresentedRevertToken(Guid UserId, string RestoredEmail, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt,
    DateTimeOffset ChangedAt, bool RestoredEmailWasVerified);

public static class EmailRevert
{
    /// <summary>
    /// Restores the address the token was issued for, as verified (its owner just proved it by using the
    /// link mailed there), whatever the address is now: whoever changed it again must not lock the owner out.
    /// A recovery wins: the tokens of every change before it are void (the thief's link for a later change of
    /// theirs must not take the account back), and only an address verified when the change left it comes back.
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
        return ([new EmailChangeReverted(current.Email, token.RestoredEmail, now)], RevertFailure.None);
    }
}
