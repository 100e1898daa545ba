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
        var attempt = await session.LoadAsync<MailAttempt>(MailAttempt.IdFor(Kind, causationEventId), ct);
        if (attempt?.State == MailAttemptState.Done)
            return;
        if (attempt is not null)
        {
            // An attempt died after committing this, perhaps after the mail went: never mail twice.
            logger.LogWarning("Email-change notice for event {EventId} was interrupted after it began mailing; not mailed again", causationEventId);
            attempt.State = MailAttemptState.Done;
            session.Store(attempt);
            return;
        }

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
        attempt = new MailAttempt { Id = MailAttempt.IdFor(Kind, causationEventId), State = MailAttemptState.Mailing, UserId = userId, StartedAt = now };
        session.Insert(attempt);
        session.Insert(token);
        await session.SaveChangesAsync(ct);

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/revert-email.html?user_id={userId}&token={Uri.EscapeDataString(secret)}";
        try
        {
            await mail.SendAsync(oldEmail, "The email address of your account was changed",
                $"The email address of your account was changed from {oldEmail} to {newEmail}.\n\n" +
                $"If you did not do this, open this link to restore {oldEmail}:\n\n{link}\n\n" +
                $"The link expires at {token.ExpiresAt:u}.\nYour revert code: {secret}\n",
                $"<p>The email address of your account was changed from <b>{WebUtility.HtmlEncode(oldEmail)}</b> to <b>{WebUtility.HtmlEncode(newEmail)}</b>.</p>" +
                $"<p>If you did not do this, <a href=\"{WebUtility.HtmlEncode(link)}\">restore {WebUtility.HtmlEncode(oldEmail)}</a>.</p>" +
                $"<p>The link expires at {token.ExpiresAt:u}.</p>",
                correlationId ?? causationEventId.ToString(), ct);
        }
        catch (MailNotSentException)
        {
            await VerificationMail.ForgetAsync(session, attempt, token);
            throw;
        }
        attempt.State = MailAttemptState.Done;
        session.Store(attempt);
    }
}
