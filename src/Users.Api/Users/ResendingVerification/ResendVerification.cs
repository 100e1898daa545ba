using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Wolverine.Marten;

namespace Users.Api.Users.ResendingVerification;

public sealed record ResendVerification(Guid UserId, RequestContext Context);

public static class ResendVerificationHandler
{
    // Appends EmailVerificationResendRequested; the notifications worker mails a fresh token when the
    // event reaches it, through the same path as registration and change of email.
    public static (WriteOutcome, Events) Handle(ResendVerification command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user, IDocumentSession session)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);

        var (events, failure) = VerificationResend.Decide(user);
        if (failure != ResendFailure.None)
            return (WriteOutcome.Refused(failure == ResendFailure.AlreadyVerified
                ? WriteRefusal.Conflict("Already verified", "The current address is already verified; there is nothing to send.")
                : WriteRefusal.Conflict("No address", "The user has no address to verify.")), []);

        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }
}
