using System.Net;
using Marten;
using Microsoft.Extensions.Options;
using Users.Domain;
using Users.Notifications.Mail;
using Users.Projections;

namespace Users.Notifications.Verification;

/// <summary>
/// Tells the previous address that the account's email changed, with a link that undoes the change: if the
/// change was a takeover, the owner gets the account back. Idempotent per causing event, like VerificationMail.
/// </summary>
public sealed class EmailChangeNotice(IDocumentStore store, MailSender mail, IOptions<VerificationOptions> options,
    TimeProvider clock, ILogger<EmailChangeNotice> logger)
{
    public async Task SendAsync(Guid userId, string oldEmail, string newEmail, Guid causationEventId, string? correlationId,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(oldEmail))
            return;
        await using var session = store.LightweightSession();
        // The stream's row lock makes concurrent redeliveries of one event wait for each other.
        var stream = await session.Events.FetchForExclusiveWriting<User>(userId, ct);
        var markerId = $"email-change-notice:{causationEventId}";
        if (stream.Aggregate is null || await session.LoadAsync<ProcessedMessage>(markerId, ct) is not null)
        {
            logger.LogInformation("Email-change notice for event {EventId} already handled or user gone; skipping", causationEventId);
            return;
        }

        var now = clock.GetUtcNow();
        session.Store(new ProcessedMessage { Id = markerId, ProcessedAt = now });
        var token = VerificationMail.NewToken();
        var expiresAt = now + options.Value.RevertTokenLifetime;
        session.Store(new EmailRevertToken
        {
            Id = VerificationMail.Hash(token),
            UserId = userId,
            RestoredEmail = oldEmail,
            ChangedTo = newEmail,
            ExpiresAt = expiresAt,
            CausationEventId = causationEventId,
        });

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/revert-email.html?user_id={userId}&token={Uri.EscapeDataString(token)}";
        await mail.SendAsync(oldEmail, "The email address of your account was changed",
            $"The email address of your account was changed from {oldEmail} to {newEmail}.\n\n" +
            $"If you did not do this, open this link to restore {oldEmail}:\n\n{link}\n\n" +
            $"The link expires at {expiresAt:u}.\nYour revert code: {token}\n",
            $"<p>The email address of your account was changed from <b>{WebUtility.HtmlEncode(oldEmail)}</b> to <b>{WebUtility.HtmlEncode(newEmail)}</b>.</p>" +
            $"<p>If you did not do this, <a href=\"{WebUtility.HtmlEncode(link)}\">restore {WebUtility.HtmlEncode(oldEmail)}</a>.</p>" +
            $"<p>The link expires at {expiresAt:u}.</p>",
            correlationId ?? causationEventId.ToString(), ct);
        await session.SaveChangesAsync(ct);
    }
}
