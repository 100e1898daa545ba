using System.Net;
using Marten;
using Users.Domain;
using Users.Notifications.Mail;

namespace Users.Notifications.Verification;

/// <summary>
/// After a revert (an account recovery), tells both addresses: the restored one, that the account is back and
/// what was undone; the one the account was taken back from, that it is no longer the account's address (without
/// naming the restored one, which may belong to the victim of whoever holds this one). Once per mail, crash or
/// not, like <see cref="EmailChangeNotice"/>; nothing to record on the stream.
/// </summary>
public sealed class RecoveryNotice(MailSender mail, TimeProvider clock, ILogger<RecoveryNotice> logger)
{
    public const string RestoredKind = "recovery-restored";
    public const string RevertedKind = "recovery-reverted";

    public async Task SendAsync(IDocumentSession session, Guid userId, string revertedEmail, string restoredEmail, Guid causationEventId,
        string? correlationId, CancellationToken ct)
    {
        // An erased user is mailed nothing, whatever event arrives late.
        var user = await session.Events.FetchLatest<User>(userId, ct);
        if (user is null || user.IsErased)
        {
            logger.LogInformation("Recovery notice for event {EventId} skipped: the user is erased", causationEventId);
            return;
        }
        var correlation = correlationId ?? causationEventId.ToString();
        await OnceAsync(session, RestoredKind, userId, restoredEmail, causationEventId, ct, () => mail.SendAsync(restoredEmail,
            "Your account's email address was restored",
            $"The email address of your account is {restoredEmail} again; it had been changed to {revertedEmail}.\n\n" +
            "Every other link mailed for this account is void, API keys issued since the change are revoked and every " +
            "session signed in before now is signed out; a password set since the change was put back as it was. " +
            "Sign in again, and change your password if it may be known to someone else.\n",
            $"<p>The email address of your account is <b>{WebUtility.HtmlEncode(restoredEmail)}</b> again; it had been changed to " +
            $"<b>{WebUtility.HtmlEncode(revertedEmail)}</b>.</p><p>Every other link mailed for this account is void, API keys issued " +
            "since the change are revoked and every session signed in before now is signed out; a password set since the change " +
            "was put back as it was. Sign in again, and change your password if it may be known to someone else.</p>",
            correlation, ct));
        if (string.IsNullOrEmpty(revertedEmail) || string.Equals(revertedEmail, restoredEmail, StringComparison.OrdinalIgnoreCase))
            return;
        await OnceAsync(session, RevertedKind, userId, revertedEmail, causationEventId, ct, () => mail.SendAsync(revertedEmail,
            "This address was removed from an account",
            $"{revertedEmail} is no longer the email address of an account: its previous owner restored their own address.\n",
            $"<p><b>{WebUtility.HtmlEncode(revertedEmail)}</b> is no longer the email address of an account: its previous owner " +
            "restored their own address.</p>",
            correlation, ct));
    }

    private async Task OnceAsync(IDocumentSession session, string kind, Guid userId, string to, Guid causationEventId,
        CancellationToken ct, Func<Task> send)
    {
        if (string.IsNullOrEmpty(to))
            return;
        var id = MailAttempt.IdFor(kind, causationEventId);
        if (await MailOnce.BegunBeforeAsync(session, id, logger, ct))
            return;
        MailOnce.Done(session, await MailOnce.SendAsync(session, id, userId, clock.GetUtcNow(), token: null, send, ct));
    }
}
