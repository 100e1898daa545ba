using System.Security.Cryptography;
using System.Text;
using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Projections;

namespace Users.Api.Users.VerifyingEmail;

public sealed record VerifyEmail(Guid UserId, string Token, RequestContext Context);

public sealed record VerifyEmailOutcome(bool UserFound, VerificationFailure Failure);

public static class VerifyEmailHandler
{
    public static async Task<VerifyEmailOutcome> Handle(VerifyEmail command, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, ct);
        if (stream.Aggregate is null)
            return new VerifyEmailOutcome(false, VerificationFailure.InvalidToken);

        var stored = await session.LoadAsync<EmailVerificationToken>(TokenHash(command.Token), ct);
        var presented = stored is null ? null : new PresentedToken(stored.UserId, stored.Email, stored.ExpiresAt, stored.UsedAt);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailVerification.Decide(stream.Aggregate, presented, now);
        if (failure != VerificationFailure.None)
            return new VerifyEmailOutcome(true, failure);

        // Single use: the token is spent in the same transaction that records the verification.
        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        stream.AppendMany(events);
        return new VerifyEmailOutcome(true, VerificationFailure.None);
    }

    public static string TokenHash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
