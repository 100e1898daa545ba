using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum RevertFailure
{
    None,
    InvalidToken,
    Expired,
    AlreadyUsed,
}

/// <summary>What the service knows of a revert token when the previous owner of an address presents it.</summary>
public sealed record PresentedRevertToken(Guid UserId, string RestoredEmail, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

public static class EmailRevert
{
    /// <summary>
    /// Restores the address the token was issued for, as verified (its owner just proved it by using the
    /// link mailed there), whatever the address is now: whoever changed it again must not lock the owner out.
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
        if (string.Equals(current.Email, token.RestoredEmail, StringComparison.OrdinalIgnoreCase) && current.EmailVerified)
            return ([], RevertFailure.None);
        return ([new EmailChangeReverted(current.Email, token.RestoredEmail)], RevertFailure.None);
    }
}
