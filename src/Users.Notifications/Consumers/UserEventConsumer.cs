using Marten;
using MassTransit;
using Users.Contracts;
using Users.Notifications.Erasure;
using Users.Notifications.Ordering;
using Users.Notifications.Verification;
using Users.Projections;

namespace Users.Notifications.Consumers;

/// <summary>
/// Every integration event of a user passes here, one at a time and in version order (<see cref="VersionGate"/>,
/// <see cref="UserEventsEndpoint"/>). Some ask for a mail or a text, removals and UserErased for forgetting; the others only move the
/// user's progress on.
/// Each mail is idempotent on its own, so a retry after a half-done attempt sends only what is missing.
/// </summary>
public sealed class UserEventConsumer<T>(IDocumentStore store, VersionGate gate, VerificationMail verification,
    EmailChangeNotice notice, RecoveryNotice recovery, PhoneVerificationText phoneCode, DeadLetterQueues deadLetters) : IConsumer<T> where T : UserEvent
{
    public async Task Consume(ConsumeContext<T> context)
    {
        var e = context.Message;
        var ct = context.CancellationToken;
        await using var session = store.LightweightSession();
        if (await gate.EnterAsync(session, e, ct) is not { } progress)
            return;

        // This event overtook earlier ones of its user (a recovery after an outage reorders deliveries): rather
        // than wait for them, handle them first from the event store, the source of truth. When their own
        // messages arrive they are duplicates.
        if (e.Version > progress.LastVersion + 1)
        {
            var earlier = await session.Events.FetchStreamAsync(e.UserId, version: e.Version - 1, token: ct);
            foreach (var missed in earlier.Where(x => x.Version > progress.LastVersion))
            {
                if (IntegrationEvents.From(missed) is not { } contract)
                    continue;
                await HandleAsync(session, context, contract, ct);
                await gate.AdvanceAsync(session, progress, contract, ct);
            }
        }

        await HandleAsync(session, context, e, ct);
        await gate.AdvanceAsync(session, progress, e, ct);
    }

    private async Task HandleAsync(IDocumentSession session, ConsumeContext context, UserEvent e, CancellationToken ct)
    {
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
            // An account recovery: both addresses hear of it.
            case EmailChangeReverted m:
                await recovery.SendAsync(session, m.UserId, m.RevertedEmail, m.RestoredEmail, m.EventId, m.CorrelationId, ct);
                break;
            // The user asked for the mail again: a fresh token, through the same path.
            case EmailVerificationResendRequested m:
                await verification.SendAsync(session, context, m.UserId, m.Email, m.EventId, m.CorrelationId, ct);
                break;
            // A further address gets its own verification mail when added, and again when the user asks.
            case SecondaryEmailAdded m:
                await verification.SendAsync(session, context, m.UserId, m.Email, m.EventId, m.CorrelationId, ct, m.EmailId, m.Version);
                break;
            case SecondaryEmailVerificationResendRequested m:
                await verification.SendAsync(session, context, m.UserId, m.Email, m.EventId, m.CorrelationId, ct, m.EmailId, m.Version);
                break;
            // A removed address's tokens, a removed number's code: void at the API already (the deciders compare),
            // gone from the store here.
            case SecondaryEmailRemoved m:
                session.DeleteWhere<EmailVerificationToken>(t => t.UserId == m.UserId && t.EmailId == m.EmailId);
                break;
            case PhoneNumberVerificationRequested m:
                await phoneCode.SendAsync(session, m.UserId, m.PhoneNumberId, m.PhoneNumber, m.EventId, m.CorrelationId, ct);
                break;
            case PhoneNumberRemoved m:
                session.DeleteWhere<PhoneVerificationCode>(c => c.UserId == m.UserId && c.Id == m.PhoneNumberId);
                break;
            // The API removed the user's tokens with the erasure; a mail that raced it may have stored one since (its
            // event comes before this one). And the broker's dead letters still hold the user's messages.
            case UserErased m:
                session.DeleteWhere<EmailVerificationToken>(t => t.UserId == m.UserId);
                session.DeleteWhere<EmailRevertToken>(t => t.UserId == m.UserId);
                session.DeleteWhere<PhoneVerificationCode>(c => c.UserId == m.UserId);
                await deadLetters.RemoveMessagesOfAsync(m.UserId, ct);
                break;
        }
    }
}
