using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Rules;
using Users.Projections;
using Users.ServiceDefaults;
using Wolverine.Marten;

namespace Users.Api.Users.VerifyingContacts;

/// <summary>Another verification mail to a secondary address.</summary>
public sealed record ResendSecondaryEmailVerification(Guid UserId, Guid EmailId, RequestContext Context);

/// <summary>A one-time code texted to a phone number.</summary>
public sealed record RequestPhoneVerificationCode(Guid UserId, Guid PhoneNumberId, RequestContext Context);

/// <summary>
/// Both append the request as an event (the notifications worker sends the mail or the text when it gets it) under
/// <see cref="VerificationSendCap"/>: the user's sends are on the stream, the address's in its
/// <see cref="VerificationSendLog"/>, written in the same transaction.
/// </summary>
public static class RequestContactVerificationHandler
{
    public static async Task<(WriteOutcome, Events)> Handle(ResendSecondaryEmailVerification command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, VerificationSendCap cap, TimeProvider clock, CancellationToken ct)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);
        var address = user.Emails.FirstOrDefault(e => e.Id == command.EmailId)?.Email;
        var log = address is null ? null : await session.LoadAsync<VerificationSendLog>(MailKey(address), ct);
        var now = clock.GetUtcNow();
        var decision = ContactVerificationRequest.ResendMail(user, command.EmailId, cap, log?.SentAt ?? [], now);
        return Outcome(session, user, decision, address is null ? null : log ?? new VerificationSendLog { Id = MailKey(address) },
            "secondary email", command.EmailId, cap, command.Context, now);
    }

    public static async Task<(WriteOutcome, Events)> Handle(RequestPhoneVerificationCode command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, VerificationSendCap cap, TimeProvider clock, CancellationToken ct)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);
        var number = user.PhoneNumbers.FirstOrDefault(p => p.Id == command.PhoneNumberId)?.PhoneNumber;
        var log = number is null ? null : await session.LoadAsync<VerificationSendLog>(SmsKey(number), ct);
        var now = clock.GetUtcNow();
        var decision = ContactVerificationRequest.RequestCode(user, command.PhoneNumberId, cap, log?.SentAt ?? [], now);
        return Outcome(session, user, decision, number is null ? null : log ?? new VerificationSendLog { Id = SmsKey(number) },
            "phone number", command.PhoneNumberId, cap, command.Context, now);
    }

    // Hashed: the log names no account, yet outlives removals, so it holds no address or number in clear.
    public static string MailKey(string address) => "mail:" + SecretTokens.Hash(EmailAddress.Normalize(address));

    public static string SmsKey(string number) => "sms:" + SecretTokens.Hash(number);

    private static (WriteOutcome, Events) Outcome(IDocumentSession session, User user, SendDecision decision, VerificationSendLog? log,
        string kind, Guid contactId, VerificationSendCap cap, RequestContext context, DateTimeOffset now)
    {
        switch (decision.Failure)
        {
            case SendFailure.UnknownContact:
                return (WriteOutcome.Refused(new WriteRefusal(StatusCodes.Status404NotFound, $"No such {kind}",
                    $"The user has no {kind} with the id {contactId}.", [])), []);
            case SendFailure.AlreadyVerified:
                return (WriteOutcome.Refused(WriteRefusal.Conflict("Already verified", $"The {kind} is already verified; there is nothing to send.")), []);
            case SendFailure.TooManySends:
                return (WriteOutcome.Refused(WriteRefusal.TooManySends(cap.PerHour!.Value, decision.AllowedAgainAt!.Value)), []);
        }

        // Only the last hour counts; the list never grows past the highest cap.
        log!.SentAt = [.. log.SentAt.Where(t => t > now - HourlyCap.Window).Append(now).TakeLast(VerificationSendCap.MaxPerHour)];
        session.Store(log);
        session.StampWith(context);
        return (WriteOutcome.Done(user.Version + decision.Events.Count), [.. decision.Events]);
    }
}
