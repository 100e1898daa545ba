using Marten;
using Users.Notifications.Mail;

namespace Users.Notifications.Verification;

/// <summary>
/// The steps every mail of the worker takes to go once per causing event, crash or not (<see cref="MailAttempt"/>):
/// look for an earlier attempt; commit the attempt, with the token the mail carries, before the send; remove both
/// when the send certainly failed, so that the retry mails; else stage the attempt as done for the caller's commit.
/// </summary>
public static class MailOnce
{
    /// <summary>
    /// True when an earlier attempt at this mail exists: done, or interrupted after it began mailing (the mail may
    /// have gone), which is staged as done in <paramref name="session"/> and never mailed again.
    /// </summary>
    public static async Task<bool> BegunBeforeAsync(IDocumentSession session, string attemptId, ILogger logger, CancellationToken ct)
    {
        var attempt = await session.LoadAsync<MailAttempt>(attemptId, ct);
        if (attempt is null)
            return false;
        if (attempt.State != MailAttemptState.Done)
        {
            logger.LogWarning("Mail {AttemptId} was interrupted after it began mailing; not mailed again", attemptId);
            attempt.State = MailAttemptState.Done;
            session.Store(attempt);
        }
        return true;
    }

    /// <summary>
    /// Commits the attempt (and <paramref name="token"/>, if any) as mailing, then <paramref name="send"/>s; the
    /// attempt is returned still mailing, for the caller to mark done once what follows the mail is staged.
    /// </summary>
    public static async Task<MailAttempt> SendAsync(IDocumentSession session, string attemptId, Guid userId, DateTimeOffset now,
        object? token, Func<Task> send, CancellationToken ct)
    {
        var attempt = new MailAttempt { Id = attemptId, State = MailAttemptState.Mailing, UserId = userId, StartedAt = now };
        // Inserts: a concurrent copy of the same event fails here and, retried, finds the attempt.
        session.InsertObjects(token is null ? [attempt] : [attempt, token]);
        await session.SaveChangesAsync(ct);
        try
        {
            await send();
        }
        catch (MailNotSentException)
        {
            session.DeleteObjects(token is null ? [attempt] : [attempt, token]);
            await session.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        return attempt;
    }

    /// <summary>Stages the attempt as done in <paramref name="session"/>, for the caller's commit.</summary>
    public static void Done(IDocumentSession session, MailAttempt attempt)
    {
        attempt.State = MailAttemptState.Done;
        session.Store(attempt);
    }
}
