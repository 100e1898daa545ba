using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;
using Users.Domain;
using Users.Notifications.Mail;
using Users.Projections;
using DomainEvents = Users.Domain.Events;

namespace Users.Notifications.Verification;

/// <summary>
/// Issues a verification token for an address, mails it, and records EmailVerificationRequested on the
/// user's stream. Idempotent per causing event: a redelivered event finds its marker and sends nothing.
/// </summary>
public sealed class VerificationMail(IDocumentStore store, MailSender mail, IOptions<VerificationOptions> options,
    TimeProvider clock, ILogger<VerificationMail> logger)
{
    public async Task SendAsync(Guid userId, string email, Guid causationEventId, string? correlationId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // The stream's row lock makes concurrent redeliveries of one event wait for each other,
        // so the marker check below is decisive.
        var stream = await session.Events.FetchForExclusiveWriting<User>(userId, ct);
        var markerId = $"verification:{causationEventId}";
        if (stream.Aggregate is null || await session.LoadAsync<ProcessedMessage>(markerId, ct) is not null)
        {
            logger.LogInformation("Verification for event {EventId} already handled or user gone; skipping", causationEventId);
            return;
        }

        var now = clock.GetUtcNow();
        session.Store(new ProcessedMessage { Id = markerId, ProcessedAt = now });
        // An address changed again since: its own event will bring its own mail.
        if (!string.Equals(stream.Aggregate.Email, email, StringComparison.OrdinalIgnoreCase))
        {
            await session.SaveChangesAsync(ct);
            return;
        }

        var token = NewToken();
        var expiresAt = now + options.Value.TokenLifetime;
        session.Store(new EmailVerificationToken
        {
            Id = Hash(token),
            UserId = userId,
            Email = email,
            ExpiresAt = expiresAt,
            CausationEventId = causationEventId,
        });

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/verify-email.html?user_id={userId}&token={Uri.EscapeDataString(token)}";
        await mail.SendAsync(email, "Verify your email address",
            $"Please confirm that {email} is your address by opening this link:\n\n{link}\n\nThe link expires at {expiresAt:u}.\nYour verification code: {token}\n",
            $"<p>Please confirm that <b>{WebUtility.HtmlEncode(email)}</b> is your address.</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Verify my email address</a></p><p>The link expires at {expiresAt:u}.</p>",
            correlationId ?? causationEventId.ToString(), ct);

        session.CorrelationId = correlationId;
        session.CausationId = causationEventId.ToString();
        session.LastModifiedBy = "system";
        session.SetHeader("origin", "notifications");
        // Same header as the API's: the relay continues this consumer's trace when it publishes the event.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            session.SetHeader("traceparent", activity.Id!);
        stream.AppendOne(new DomainEvents.EmailVerificationRequested(email, expiresAt));
        await session.SaveChangesAsync(ct);
    }

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
