using Users.Domain.Events;

namespace Users.Domain.Decisions;

public enum CodeFailure
{
    None,
    /// <summary>No code was texted for this number, or it belongs to another user or number.</summary>
    NoCode,
    Expired,
    AlreadyUsed,
    /// <summary>The number was removed (or replaced) since the code was texted.</summary>
    NumberNoLongerCurrent,
    Wrong,
    /// <summary><see cref="PhoneVerification.MaxAttempts"/> wrong codes: this code is spent; ask for a new one.</summary>
    Locked,
}

/// <summary>What the service knows of the latest code texted to a number (never the code, only whether it matches).</summary>
public sealed record PresentedCode(Guid UserId, Guid PhoneNumberId, string PhoneNumber, DateTimeOffset ExpiresAt, int Attempts,
    DateTimeOffset? UsedAt);

/// <summary>What submitting a code decided; <see cref="Attempts"/> is the code's count of wrong tries after it, to store.</summary>
public sealed record CodeDecision(IReadOnlyList<object> Events, CodeFailure Failure, int Attempts);

public static class PhoneVerification
{
    public const int CodeDigits = 6;
    /// <summary>Wrong codes a texted code survives; the fifth locks it (a guess succeeds with odds 5 in a million).</summary>
    public const int MaxAttempts = 5;

    /// <param name="matches">Whether the submitted code is the texted one (compared by hash, outside the decider).</param>
    public static CodeDecision Decide(User current, Guid phoneNumberId, PresentedCode? code, bool matches, DateTimeOffset now)
    {
        if (code is null || code.UserId != current.Id || code.PhoneNumberId != phoneNumberId)
            return new([], CodeFailure.NoCode, 0);
        if (code.UsedAt is not null)
            return new([], CodeFailure.AlreadyUsed, code.Attempts);
        if (code.Attempts >= MaxAttempts)
            return new([], CodeFailure.Locked, code.Attempts);
        if (code.ExpiresAt <= now)
            return new([], CodeFailure.Expired, code.Attempts);
        if (current.PhoneNumbers.FirstOrDefault(p => p.Id == phoneNumberId) is not { } phone || phone.PhoneNumber != code.PhoneNumber)
            return new([], CodeFailure.NumberNoLongerCurrent, code.Attempts);
        if (!matches)
        {
            var attempts = code.Attempts + 1;
            return new([], attempts >= MaxAttempts ? CodeFailure.Locked : CodeFailure.Wrong, attempts);
        }
        return new(phone.Verified ? [] : [new PhoneNumberVerified(phone.Id, phone.PhoneNumber)], CodeFailure.None, code.Attempts);
    }
}
