using Marten;
using Marten.Patching;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Projections;
using Users.ServiceDefaults;
using Wolverine.Marten;

namespace Users.Api.Users.VerifyingContacts;

public sealed record VerifyPhoneNumber(Guid UserId, Guid PhoneNumberId, string Code, RequestContext Context);

public static class VerifyPhoneNumberHandler
{
    /// <summary>
    /// Checks the code against the latest one texted to the number. A wrong code is counted on the code's document
    /// in this same transaction (committed although nothing is appended), so the limit holds across requests and nodes.
    /// </summary>
    public static async Task<(WriteOutcome, Events)> Handle(VerifyPhoneNumber command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);

        var stored = await session.LoadAsync<PhoneVerificationCode>(command.PhoneNumberId, ct);
        var presented = stored is null ? null
            : new PresentedCode(stored.UserId, stored.Id, stored.PhoneNumber, stored.ExpiresAt, stored.Attempts, stored.UsedAt);
        var matches = stored is not null && SecretTokens.Same(SecretTokens.HashCode(stored.Id, command.Code), stored.CodeHash);
        var now = clock.GetUtcNow();
        var decision = PhoneVerification.Decide(user, command.PhoneNumberId, presented, matches, now);

        // Patched only while the document still holds this code: a new code texted meanwhile stays as it is.
        var codeHash = stored?.CodeHash;
        if (stored is not null && stored.UserId == user.Id && decision.Attempts != stored.Attempts)
            session.Patch<PhoneVerificationCode>(c => c.Id == command.PhoneNumberId && c.CodeHash == codeHash).Set(c => c.Attempts, decision.Attempts);
        if (decision.Failure != CodeFailure.None)
            return (WriteOutcome.Invalid([new FieldError("/code", Explain(decision))]), []);

        session.Patch<PhoneVerificationCode>(c => c.Id == command.PhoneNumberId && c.CodeHash == codeHash).Set(c => c.UsedAt, now);
        session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + decision.Events.Count), [.. decision.Events]);
    }

    private static string Explain(CodeDecision decision) => decision.Failure switch
    {
        CodeFailure.Wrong => $"The code is wrong; {PhoneVerification.MaxAttempts - decision.Attempts} more tries before it is locked.",
        CodeFailure.Locked => "Too many wrong codes: this code is locked; ask for a new one.",
        CodeFailure.Expired => "The code has expired; ask for a new one.",
        CodeFailure.AlreadyUsed => "The code has already been used.",
        CodeFailure.NumberNoLongerCurrent => "The code was sent to a number the user no longer has.",
        _ => "No code was sent for this number; ask for one.",
    };
}
