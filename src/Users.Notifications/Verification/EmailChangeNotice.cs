using System.Net;
using Marten;
using Microsoft.Extensions.Options;
using Users.Domain;
using Users.Notifications.Mail;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Notifications.Verification;

/// <summary>
/// Tells the previous address that the account's email changed, with a link that undoes the change: if the
/// change was a takeover, the owner gets the account back. Once per causing event, crash or not, like
/// <see cref="VerificationMail"/>; nothing to record on the stream.
/// </summary>
public sealed class EmailChangeNotice(MailSender mail, IOptions<VerificationOptions> options, TimeProvider clock,
    ILogger<EmailChangeNotice> logger)
{
    public const string Kind = "email-change-notice";

    /// <summary>Commits the attempt and the revert token, mails, and stages the attempt as done in <paramref name="session"/>.</summary>
    public async Task SendAsync(IDocumentSession session, Guid userId, string oldEmail, string newEmail, Guid causationEventId,
        string? correlationId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(oldEmail))
            return;
        var attemptId = MailAttempt.IdFor(Kind, causationEventId);
        if (await MailOnce.BegunBeforeAsync(session, attemptId, logger, ct))
            return;

        // Read, not locked: an erasure committed after this check is caught when the worker gets its UserErased
        // (after this event), which removes the token stored here.
        var user = await session.Events.FetchLatest<User>(userId, ct);
        if (user is null || user.IsErased)
        {
            logger.LogInformation("Email-change notice for event {EventId} skipped: the user is erased", causationEventId);
            return;
        }

        var now = clock.GetUtcNow();
        var secret = SecretTokens.New();
        var token = new EmailRevertToken
        {
            Id = SecretTokens.Hash(secret),
            UserId = userId,
            RestoredEmail = oldEmail,
            ChangedTo = newEmail,
            ExpiresAt = now + options.Value.RevertTokenLifetime,
            CausationEventId = causationEventId,
        };
        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/revert-email.html?user_id={userId}&token={Uri.EscapeDataString(secret)}";
        var attempt = await MailOnce.SendAsync(session, attemptId, userId, now, token, () => mail.SendAsync(oldEmail,
            "The email address of your account was changed",
            $"The email address of your account was changed from {oldEmail} to {newEmail}.\n\n" +
            $"If you did not do this, open this link to restore {oldEmail}:\n\n{link}\n\n" +
            $"The link expires at {token.ExpiresAt:u}.\nYour revert code: {secret}\n",
            $"<p>The email address of your account was changed from <b>{WebUtility.HtmlEncode(oldEmail)}</b> to <b>{WebUtility.HtmlEncode(newEmail)}</b>.</p>" +
            $"<p>If you did not do this, <a href=\"{WebUtility.HtmlEncode(link)}\">restore {WebUtility.HtmlEncode(oldEmail)}</a>.</p>" +
            $"<p>The link expires at {token.ExpiresAt:u}.</p>",
            correlationId ?? causationEventId.ToString(), ct), ct);
        MailOnce.Done(session, attempt);
    }
}
