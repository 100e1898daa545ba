using Marten;
using Users.Api.Http;
using Users.Api.Users.VerifyingEmail;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Users.RevertingEmail;

public sealed record RevertEmail(Guid UserId, string Token, RequestContext Context);

public enum RevertStatus { Reverted, NotFound, Refused, EmailTaken }

public sealed record RevertEmailOutcome(RevertStatus Status, RevertFailure Failure = RevertFailure.None);

public static class RevertEmailHandler
{
    public static async Task<RevertEmailOutcome> Handle(RevertEmail command, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, ct);
        if (stream.Aggregate is null)
            return new RevertEmailOutcome(RevertStatus.NotFound);

        var stored = await session.LoadAsync<EmailRevertToken>(VerifyEmailHandler.TokenHash(command.Token), ct);
        var presented = stored is null ? null : new PresentedRevertToken(stored.UserId, stored.RestoredEmail, stored.ExpiresAt, stored.UsedAt);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailRevert.Decide(stream.Aggregate, presented, now);
        if (failure != RevertFailure.None)
            return new RevertEmailOutcome(RevertStatus.Refused, failure);

        // The old address may have been taken by another account since; the unique index is the last word.
        if (events.OfType<EmailChangeReverted>().FirstOrDefault() is { } reverted)
        {
            var key = EmailAddress.Normalize(reverted.RestoredEmail);
            if (await session.Query<UserProfile>().AnyAsync(x => x.EmailKey == key && x.Id != command.UserId, ct))
                return new RevertEmailOutcome(RevertStatus.EmailTaken);
        }

        // Single use: the token is spent in the same transaction that records the revert.
        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        stream.AppendMany(events);
        return new RevertEmailOutcome(RevertStatus.Reverted);
    }
}
