using Marten;
using Users.Api.Http;
using Users.Api.Users.VerifyingEmail;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;
using Users.ServiceDefaults;
using Wolverine.Marten;

namespace Users.Api.Users.VerifyingContacts;

public sealed record VerifySecondaryEmail(Guid UserId, Guid EmailId, string Token, RequestContext Context);

public static class VerifySecondaryEmailHandler
{
    // As VerifyEmailHandler for the primary address: the same tokens, the same single use, the same claim.
    public static async Task<(WriteOutcome, Events)> Handle(VerifySecondaryEmail command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (user is null)
            return (WriteOutcome.Invalid([TokenField.NotValid]), []);

        var stored = await session.LoadAsync<EmailVerificationToken>(SecretTokens.Hash(command.Token), ct);
        var presented = stored is null ? null : new PresentedToken(stored.UserId, stored.Email, stored.ExpiresAt, stored.UsedAt, stored.EmailId);
        var now = clock.GetUtcNow();
        var (events, failure) = EmailVerification.DecideSecondary(user, command.EmailId, presented, now);
        if (failure != VerificationFailure.None)
            return (WriteOutcome.Invalid([new FieldError("/token", VerifyEmailHandler.Explain(failure))]), []);
        // The first account to verify an address owns it, whether it holds it as primary or secondary address.
        if (events.OfType<SecondaryEmailVerified>().FirstOrDefault() is { } verified
            && await session.LoadAsync<EmailOwnership>(EmailAddress.Normalize(verified.Email), ct) is { } claim
            && claim.UserId != user.Id)
            return (WriteOutcome.Invalid(VerifyEmailHandler.AddressTaken), []);

        stored!.UsedAt = now;
        session.Store(stored);
        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }
}
