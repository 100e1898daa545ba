using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;

namespace Users.Api.Users.ResendingVerification;

public sealed record ResendVerification(Guid UserId, RequestContext Context);

public sealed record ResendOutcome(bool UserFound, ResendFailure Failure);

public static class ResendVerificationHandler
{
    // Appends EmailVerificationResendRequested; the notifications worker mails a fresh token when the
    // event reaches it, through the same path as registration and change of email.
    public static async Task<ResendOutcome> Handle(ResendVerification command, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, ct);
        if (stream.Aggregate is null)
            return new ResendOutcome(false, ResendFailure.None);

        var (events, failure) = VerificationResend.Decide(stream.Aggregate);
        if (failure != ResendFailure.None)
            return new ResendOutcome(true, failure);

        session.StampWith(command.Context);
        stream.AppendMany(events);
        return new ResendOutcome(true, ResendFailure.None);
    }
}
