using Marten;
using MassTransit;
using Users.Contracts;
using Users.Notifications.Ordering;
using Users.Notifications.Verification;

namespace Users.Notifications.Consumers;

/// <summary>
/// Every integration event of a user passes here, one at a time and in version order (<see cref="VersionGate"/>,
/// <see cref="UserEventsEndpoint"/>). Three of them ask for mail; the others only move the user's progress on.
/// Each mail is idempotent on its own, so a retry after a half-done attempt sends only what is missing.
/// </summary>
public sealed class UserEventConsumer<T>(IDocumentStore store, VersionGate gate, VerificationMail verification,
    EmailChangeNotice notice) : IConsumer<T> where T : UserEvent
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        await using var session = store.LightweightSession();
        if (await gate.EnterAsync(session, e, ct) is not { } progress)
            return;

        switch (e)
        {
            // A new address is unverified until its owner proves it: mail it a link. Tell the old address too,
            // with a link that undoes the change.
            case EmailChanged m:
                await verification.SendAsync(session, context, m.UserId, m.NewEmail, m.EventId, m.CorrelationId, ct);
                await notice.SendAsync(session, m.UserId, m.OldEmail, m.NewEmail, m.EventId, m.CorrelationId, ct);
                break;
            case UserRegistered m:
                await verification.SendAsync(session, context, m.UserId, m.Email, m.EventId, m.CorrelationId, ct);
                break;
            // The user asked for the mail again: a fresh token, through the same path.
            case EmailVerificationResendRequested m:
                await verification.SendAsync(session, context, m.UserId, m.Email, m.EventId, m.CorrelationId, ct);
                break;
        }
        await gate.AdvanceAsync(session, progress, e, ct);
    }
}
