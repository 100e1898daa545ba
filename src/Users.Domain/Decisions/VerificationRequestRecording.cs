using Users.Commands;
using Users.Domain.Events;

namespace Users.Domain.Decisions;

public static class VerificationRequestRecording
{
    /// <summary>
    /// Records that a verification mail went to the user's address. Nothing for an erased user, for an address
    /// the user no longer holds (its token could not verify anything, and the read model would claim a mail to
    /// the current address), or for a causing event already recorded (a re-sent or redelivered command).
    /// </summary>
    public static IReadOnlyList<object> Decide(User current, RecordEmailVerificationRequested command)
    {
        if (current.IsErased || !string.Equals(current.Email, command.Email, StringComparison.OrdinalIgnoreCase))
            return [];
        if (current.VerificationRequestsRecorded.Contains(command.CausationEventId))
            return [];
        return [new EmailVerificationRequested(command.Email, command.ExpiresAt, command.CausationEventId)];
    }
}
