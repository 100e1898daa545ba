using System.Net;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Users.Commands;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Rules;
using Users.Notifications.Mail;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Notifications.Verification;

/// <summary>
/// Mails an address a verification token, then asks the API to record EmailVerificationRequested on the user's
/// stream (a <see cref="RecordEmailVerificationRequested"/> command: the worker never appends itself). Once per
/// causing event, crash or not: see <see cref="MailAttempt"/>. A secondary address (<c>emailId</c>) gets the same
/// mail and token, bound to its id; nothing is recorded for it (the profile shows only whether it is verified).
/// </summary>
public sealed class VerificationMail(MailSender mail, IOptions<VerificationOptions> options, TimeProvider clock,
    VerificationSendCap cap, ILogger<VerificationMail> logger)
{
    public const string Kind = "verification";

    /// <summary>The exchange in front of the API's command queue (declared and bound by the API).</summary>
    public static readonly Uri ApiCommands = new($"exchange:{ApiCommandQueue.Name}");

    /// <summary>
    /// Commits the attempt and the token, mails, sends the record command, and stages the attempt as done in
    /// <paramref name="session"/> for the caller's commit. No lock is held while SMTP runs.
    /// </summary>
    /// <param name="causationVersion">With <paramref name="emailId"/>: the causing event's version, for the cap on sends.</param>
    public async Task SendAsync(IDocumentSession session, ISendEndpointProvider commands, Guid userId, string email,
        Guid causationEventId, string? correlationId, CancellationToken ct, Guid? emailId = null, long causationVersion = 0)
    {
        var attempt = await session.LoadAsync<MailAttempt>(MailAttempt.IdFor(Kind, causationEventId), ct);
        EmailVerificationToken? token;
        switch (attempt?.State)
        {
            case MailAttemptState.Done:
                return;
            case MailAttemptState.Mailing:
                // An attempt died after committing this, perhaps after the mail went: record it, never mail twice.
                // No token means the user was erased meanwhile: nothing to record.
                token = await session.Query<EmailVerificationToken>()
                    .Where(t => t.UserId == userId && t.CausationEventId == causationEventId)
                    .FirstOrDefaultAsync(ct);
                logger.LogWarning("Verification for event {EventId} was interrupted after it began mailing; recording it without mailing again",
                    causationEventId);
                break;
            default:
                // Read, not locked: an address changed after this check is recorded by the API only if still current.
                var user = await session.Events.FetchLatest<User>(userId, ct);
                if (user is null || user.IsErased || !StillToVerify(user, email, emailId))
                {
                    // An address changed again since: its own event brings its own mail.
                    logger.LogInformation("Verification for event {EventId} skipped: the address is no longer the user's", causationEventId);
                    return;
                }
                if (emailId is not null && !cap.Allows(user.VerificationSends, causationVersion))
                {
                    logger.LogInformation("Verification for event {EventId} skipped: the user's verification mails reached the hourly cap", causationEventId);
                    return;
                }
                if (await VerifiedByAnotherAsync(session, userId, email, ct))
                {
                    // Another account owns the address: a link would be refused, and saying so in the API would tell an
                    // anonymous caller the address has an account. The owner is told instead; nothing to record.
                    attempt = await NoticeOwnerAsync(session, userId, email, causationEventId, correlationId, ct);
                    token = null;
                    break;
                }
                (attempt, token) = await MailAsync(session, userId, email, emailId, causationEventId, correlationId, ct);
                break;
        }

        if (token is not null && emailId is null)
        {
            var endpoint = await commands.GetSendEndpoint(ApiCommands);
            await endpoint.Send(new RecordEmailVerificationRequested
            {
                UserId = userId,
                Email = token.Email,
                ExpiresAt = token.ExpiresAt,
                CausationEventId = causationEventId,
                CorrelationId = correlationId,
            }, MustReachAQueue, ct);
        }
        MailOnce.Done(session, attempt!);
    }

    private async Task<(MailAttempt, EmailVerificationToken)> MailAsync(IDocumentSession session, Guid userId, string email,
        Guid? emailId, Guid causationEventId, string? correlationId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var secret = SecretTokens.New();
        var token = new EmailVerificationToken
        {
            Id = SecretTokens.Hash(secret),
            UserId = userId,
            Email = email,
            EmailId = emailId,
            ExpiresAt = now + options.Value.TokenLifetime,
            CausationEventId = causationEventId,
        };
        var forAddress = emailId is { } id ? $"&email_id={id}" : "";
        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/verify-email.html?user_id={userId}{forAddress}&token={Uri.EscapeDataString(secret)}";
        var attempt = await MailOnce.SendAsync(session, MailAttempt.IdFor(Kind, causationEventId), userId, now, token, () => mail.SendAsync(email,
            "Verify your email address",
            $"Please confirm that {email} is your address by opening this link:\n\n{link}\n\nThe link expires at {token.ExpiresAt:u}.\nYour verification code: {secret}\n",
            $"<p>Please confirm that <b>{WebUtility.HtmlEncode(email)}</b> is your address.</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Verify my email address</a></p><p>The link expires at {token.ExpiresAt:u}.</p>",
            correlationId ?? causationEventId.ToString(), ct), ct);
        return (attempt, token);
    }

    // The primary address while it is the user's; a secondary one while the user holds it, unverified, under its id.
    private static bool StillToVerify(User user, string email, Guid? emailId) => emailId is { } id
        ? user.Emails.Any(e => e.Id == id && !e.Verified && string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase))
        : string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase);

    private static async Task<bool> VerifiedByAnotherAsync(IDocumentSession session, Guid userId, string email, CancellationToken ct) =>
        await session.LoadAsync<EmailOwnership>(EmailAddress.Normalize(email), ct) is { } claim && claim.UserId != userId;

    private Task<MailAttempt> NoticeOwnerAsync(IDocumentSession session, Guid userId, string email, Guid causationEventId,
        string? correlationId, CancellationToken ct) =>
        MailOnce.SendAsync(session, MailAttempt.IdFor(Kind, causationEventId), userId, clock.GetUtcNow(), token: null, () => mail.SendAsync(email,
            OwnerNoticeSubject,
            $"Someone gave {email} for another account. The address already belongs to an account, so that other account " +
            "cannot use it and nothing changed on yours.\n\nIf it was you, sign in to the account you already have; " +
            "otherwise you can ignore this mail.\n",
            $"<p>Someone gave <b>{WebUtility.HtmlEncode(email)}</b> for another account. The address already belongs to an account, " +
            "so that other account cannot use it and nothing changed on yours.</p><p>If it was you, sign in to the account you " +
            "already have; otherwise you can ignore this mail.</p>",
            correlationId ?? causationEventId.ToString(), ct), ct);

    public const string OwnerNoticeSubject = "Your email address was given for another account";

    // Returned by the broker (not dropped) if no queue is bound to the exchange, failing the send, so the consume retries.
    private static void MustReachAQueue(SendContext<RecordEmailVerificationRequested> context)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            rabbit.Mandatory = true;
    }

}
