using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum VerificationFailure
{
    None,
    InvalidToken,
    Expired,
    AlreadyUsed,
    EmailNoLongerCurrent,
}

/// <summary>What the service knows of a verification token when a client presents it. <paramref name="EmailId"/>: the
/// secondary address it was mailed for; null for the primary address.</summary>
public sealed record PresentedToken(Guid UserId, string Email, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, Guid? EmailId = null);

public static class EmailVerification
{
    public static (IReadOnlyList<object> Events, VerificationFailure Failure) Decide(
        User current, PresentedToken? token, DateTimeOffset now)
    {
        // A secondary address's token verifies that address only (DecideSecondary), never the primary one.
        if (Unusable(current, token, emailId: null, now) is { } failure)
            return ([], failure);
        if (!string.Equals(token!.Email, current.Email, StringComparison.OrdinalIgnoreCase))
            return ([], VerificationFailure.EmailNoLongerCurrent);
        if (current.EmailVerified)
            return ([], VerificationFailure.None);
        return ([new EmailVerified(current.Email)], VerificationFailure.None);
    }

    /// <summary>
    /// The token mailed to a secondary address verifies that address, while the user still holds it under the same
    /// id: a removed address's tokens are void (added again, it has a new id and gets a new mail).
    /// </summary>
    public static (IReadOnlyList<object> Events, VerificationFailure Failure) DecideSecondary(
        User current, Guid emailId, PresentedToken? token, DateTimeOffset now)
    {
        if (Unusable(current, token, emailId, now) is { } failure)
            return ([], failure);
        if (current.Emails.FirstOrDefault(e => e.Id == emailId) is not { } email
            || !string.Equals(token!.Email, email.Email, StringComparison.OrdinalIgnoreCase))
            return ([], VerificationFailure.EmailNoLongerCurrent);
        if (email.Verified)
            return ([], VerificationFailure.None);
        return ([new SecondaryEmailVerified(email.Id, email.Email)], VerificationFailure.None);
    }

    private static VerificationFailure? Unusable(User current, PresentedToken? token, Guid? emailId, DateTimeOffset now)
    {
        if (token is null || token.UserId != current.Id || token.EmailId != emailId)
            return VerificationFailure.InvalidToken;
        if (token.UsedAt is not null)
            return VerificationFailure.AlreadyUsed;
        if (token.ExpiresAt <= now)
            return VerificationFailure.Expired;
        return null;
    }
}
