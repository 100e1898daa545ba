using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;
using Users.ServiceDefaults;
using Wolverine.Marten;

namespace Users.Api.Users.VerifyingEmail;

public sealed record VerifyEmail(Guid UserId, string Token, RequestContext Context);

public static class VerifyEmailHandler
{
    // Wolverine fetches the stream under its row lock, appends what the decider returns and commits it with the
    // spent token and the integration events, in one transaction.
    public static async Task<(WriteOutcome, Events)> Handle(VerifyEmail command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // An unknown user gets the answer a wrong token gets.
        if (user is null)
            return (WriteOutcome.Invalid([TokenField.NotValid]), []);

        var stored = await session.LoadAsync<EmailVerificationToken>(SecretTokens.Hash(command.Token), ct);
        var presented = stored is null ? null : new PresentedToken(stored.UserId, stored.Email, stored.ExpiresAt, stored.UsedAt);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailVerification.Decide(user, presented, now);
        if (failure != VerificationFailure.None)
            return (WriteOutcome.Invalid([new FieldError("/token", Explain(failure))]), []);
        // The first account to verify an address owns it: a later one is refused and stays unverified. Two at once
        // both pass here; the claim's key refuses the second commit, told the same way (VerifyEmailEndpoint).
        if (events.OfType<EmailVerified>().FirstOrDefault() is { } verified
            && await session.LoadAsync<EmailOwnership>(EmailAddress.Normalize(verified.Email), ct) is { } claim
            && claim.UserId != user.Id)
            return (WriteOutcome.Invalid(AddressTaken), []);

        // Single use: the token is spent in the same transaction that records the verification.
        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }

    public static readonly IReadOnlyList<FieldError> AddressTaken = [new("/email", UniqueViolation.EmailTaken)];

    public static string Explain(VerificationFailure failure) => failure switch
    {
        VerificationFailure.Expired => "The token has expired; ask for a new verification mail.",
        VerificationFailure.AlreadyUsed => "The token has already been used.",
        VerificationFailure.EmailNoLongerCurrent => "The token was issued for an address the user no longer has.",
        _ => TokenField.NotValid.Message,
    };
}
