using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum SendFailure
{
    None,
    /// <summary>The user has no secondary address or phone number with that id (never had, or removed it).</summary>
    UnknownContact,
    AlreadyVerified,
    /// <summary>The cap on sends is reached: see <see cref="SendDecision.AllowedAgainAt"/>.</summary>
    TooManySends,
}

/// <summary>What asking for a verification mail or code decided: the event that asks the worker to send it, or why not.</summary>
public sealed record SendDecision(IReadOnlyList<object> Events, SendFailure Failure, DateTimeOffset? AllowedAgainAt = null)
{
    public static SendDecision Refused(SendFailure failure, DateTimeOffset? allowedAgainAt = null) => new([], failure, allowedAgainAt);
}

/// <summary>
/// Asking for another verification mail to a secondary address, or for a code texted to a phone number. The
/// request is an event, so the worker sends it through the same ordered, exactly-once path as every mail.
/// <paramref name="sentToAddress"/>: when the address or number was last sent to, by any account.
/// </summary>
public static class ContactVerificationRequest
{
    public static SendDecision ResendMail(User current, Guid emailId, VerificationSendCap cap,
        IReadOnlyList<DateTimeOffset> sentToAddress, DateTimeOffset now)
    {
        if (current.IsErased || current.Emails.FirstOrDefault(e => e.Id == emailId) is not { } email)
            return SendDecision.Refused(SendFailure.UnknownContact);
        if (email.Verified)
            return SendDecision.Refused(SendFailure.AlreadyVerified);
        if (cap.NextAllowed(current.VerificationSends, sentToAddress, now) is { } allowedAt)
            return SendDecision.Refused(SendFailure.TooManySends, allowedAt);
        return new([new SecondaryEmailVerificationResendRequested(email.Id, email.Email)], SendFailure.None);
    }

    public static SendDecision RequestCode(User current, Guid phoneNumberId, VerificationSendCap cap,
        IReadOnlyList<DateTimeOffset> sentToNumber, DateTimeOffset now)
    {
        if (current.IsErased || current.PhoneNumbers.FirstOrDefault(p => p.Id == phoneNumberId) is not { } phone)
            return SendDecision.Refused(SendFailure.UnknownContact);
        if (phone.Verified)
            return SendDecision.Refused(SendFailure.AlreadyVerified);
        if (cap.NextAllowed(current.VerificationSends, sentToNumber, now) is { } allowedAt)
            return SendDecision.Refused(SendFailure.TooManySends, allowedAt);
        return new([new PhoneNumberVerificationRequested(phone.Id, phone.PhoneNumber)], SendFailure.None);
    }
}
