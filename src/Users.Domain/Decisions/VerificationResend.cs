using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum ResendFailure
{
    None,
    AlreadyVerified,
    NoAddress,
}

public static class VerificationResend
{
    /// <summary>Another verification mail is asked for by an event, so the request survives restarts like any other.</summary>
    public static (IReadOnlyList<object> Events, ResendFailure Failure) Decide(User current)
    {
        if (current.IsErased || string.IsNullOrEmpty(current.Email))
            return ([], ResendFailure.NoAddress);
        if (current.EmailVerified)
            return ([], ResendFailure.AlreadyVerified);
        return ([new EmailVerificationResendRequested(current.Email)], ResendFailure.None);
    }
}
