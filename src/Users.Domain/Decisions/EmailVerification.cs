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

/// <summary>What the service knows of a verification token when a client presents it.</summary>
public sealed record PresentedToken(Guid UserId, string Email, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

public static class EmailVerification
{
    public static (IReadOnlyList<object> Events, VerificationFailure Failure) Decide(
        User current, PresentedToken? token, DateTimeOffset now)
    {
        if (token is null || token.UserId != current.Id)
            return ([], VerificationFailure.InvalidToken);
        if (token.UsedAt is not null)
            return ([], VerificationFailure.AlreadyUsed);
        if (token.ExpiresAt <= now)
            return ([], VerificationFailure.Expired);
        if (!string.Equals(token.Email, current.Email, StringComparison.OrdinalIgnoreCase))
            return ([], VerificationFailure.EmailNoLongerCurrent);
        if (current.EmailVerified)
            return ([], VerificationFailure.None);
        return ([new EmailVerified(current.Email)], VerificationFailure.None);
    }
}
