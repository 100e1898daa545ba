using Marten;
using Users.Api.Http;
using Users.Api.Users.VerifyingEmail;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;
using Wolverine.Marten;

namespace Users.Api.Users.RevertingEmail;

public sealed record RevertEmail(Guid UserId, string Token, RequestContext Context);

public static class RevertEmailHandler
{
    public static readonly WriteRefusal AddressTaken = WriteRefusal.Conflict("Address taken",
        "The previous address now belongs to another account, so it cannot be restored.");

    public static async Task<(WriteOutcome, Events)> Handle(RevertEmail command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);

        var stored = await session.LoadAsync<EmailRevertToken>(VerifyEmailHandler.TokenHash(command.Token), ct);
        var presented = stored is null ? null : new PresentedRevertToken(stored.UserId, stored.RestoredEmail, stored.ExpiresAt, stored.UsedAt);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailRevert.Decide(user, presented, now);
        if (failure != RevertFailure.None)
            return (WriteOutcome.Invalid([new FieldError("/token", failure switch
            {
                RevertFailure.Expired => "The token has expired.",
                RevertFailure.AlreadyUsed => "The token has already been used.",
                _ => "The token is not valid.",
            })]), []);

        // The old address may have been verified by another account since (an unverified holder does not stop the
        // revert); the claim's key is the last word.
        if (events.OfType<EmailChangeReverted>().FirstOrDefault() is { } reverted
            && await session.LoadAsync<EmailClaim>(EmailAddress.Normalize(reverted.RestoredEmail), ct) is { } claim
            && claim.UserId != command.UserId)
            return (WriteOutcome.Refused(AddressTaken), []);

        // Single use: the token is spent in the same transaction that records the revert.
        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }
}
