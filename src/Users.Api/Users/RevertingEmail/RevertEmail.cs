using Marten;
using Marten.Patching;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;
using Users.ServiceDefaults;
using Wolverine.Marten;

namespace Users.Api.Users.RevertingEmail;

public sealed record RevertEmail(Guid UserId, string Token, RequestContext Context);

/// <summary>
/// An account recovery: the owner of the previous address takes it back, with the password of before the change.
/// What the takeover left behind goes in the same transaction: every outstanding mailed token of the user is
/// spent, the API keys issued since the change are revoked, and the event's
/// <see cref="EmailChangeReverted.RecoveredAt"/> voids every bearer token issued before it (checked at
/// authentication). The worker mails both addresses.
/// </summary>
public static class RevertEmailHandler
{
    public static readonly WriteRefusal AddressTaken = WriteRefusal.Conflict("Address taken",
        "The previous address now belongs to another account, so it cannot be restored.");

    public static async Task<(WriteOutcome, Events)> Handle(RevertEmail command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // An unknown user gets the answer a wrong token gets.
        if (user is null)
            return (WriteOutcome.Invalid([TokenField.NotValid]), []);

        var stored = await session.LoadAsync<EmailRevertToken>(SecretTokens.Hash(command.Token), ct);
        var presented = stored is null || stored.UserId != user.Id ? null : await PresentAsync(session, stored, ct);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailRevert.Decide(user, presented, now);
        if (failure != RevertFailure.None)
            return (WriteOutcome.Invalid([new FieldError("/token", failure switch
            {
                RevertFailure.Expired => "The token has expired.",
                RevertFailure.AlreadyUsed => "The token has already been used.",
                RevertFailure.AddressWasUnverified => "The previous address was not verified when it was changed, so it cannot be restored.",
                _ => TokenField.NotValid.Message,
            })]), []);

        // The old address may have been verified by another account since (an unverified holder does not stop the
        // revert); the claim's key is the last word.
        if (events.OfType<EmailChangeReverted>().FirstOrDefault() is { } reverted)
        {
            if (await session.LoadAsync<EmailOwnership>(EmailAddress.Normalize(reverted.RestoredEmail), ct) is { } claim
                && claim.UserId != command.UserId)
                return (WriteOutcome.Refused(AddressTaken), []);
            await VoidWhatTheTakeoverLeftAsync(session, user.Id, presented!.ChangedAt, now, ct);
        }

        // Single use: the token is spent in the same transaction that records the revert.
        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }

    /// <summary>
    /// The token with what the stream says of the change it undoes: when it happened, whether the address it left
    /// was verified then, and the password of then. Replays the stream up to the change: a recovery is rare.
    /// </summary>
    private static async Task<PresentedRevertToken?> PresentAsync(IDocumentSession session, EmailRevertToken stored, CancellationToken ct)
    {
        var change = await session.Events.LoadAsync(stored.CausationEventId, ct);
        if (change is null || change.StreamId != stored.UserId)
            return null;
        var before = await session.Events.AggregateStreamAsync<User>(stored.UserId, version: change.Version - 1, token: ct);
        var wasVerified = before is { EmailVerified: true }
            && EmailAddress.Normalize(before.Email) == EmailAddress.Normalize(stored.RestoredEmail);
        return new PresentedRevertToken(stored.UserId, stored.RestoredEmail, stored.ExpiresAt, stored.UsedAt, change.Timestamp, wasVerified,
            before?.PasswordHash);
    }

    // A revert spends every other mailed link of the user (the thief's revert and verification links among them)
    // and revokes the keys issued since the change; bearer tokens go by the event's RecoveredAt.
    private static async Task VoidWhatTheTakeoverLeftAsync(IDocumentSession session, Guid userId, DateTimeOffset changedAt,
        DateTimeOffset now, CancellationToken ct)
    {
        foreach (var token in await session.Query<EmailRevertToken>().Where(t => t.UserId == userId && t.UsedAt == null).ToListAsync(ct))
            session.Patch<EmailRevertToken>(token.Id).Set(t => t.UsedAt, now);
        foreach (var token in await session.Query<EmailVerificationToken>().Where(t => t.UserId == userId && t.UsedAt == null).ToListAsync(ct))
            session.Patch<EmailVerificationToken>(token.Id).Set(t => t.UsedAt, now);
        var keys = await session.Query<ApiKey>()
            .Where(k => k.UserId == userId && k.RevokedAt == null && k.CreatedAt >= changedAt).ToListAsync(ct);
        foreach (var key in keys)
            session.Patch<ApiKey>(key.Id).Set(k => k.RevokedAt, now);
    }
}
