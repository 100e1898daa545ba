using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Users.Notifications.Operability;

namespace Users.Notifications.Mail;

/// <summary>
/// Sends one mail over SMTP with MailKit. Failures throw, so the consumer's retry policy takes over; a
/// <see cref="MailNotSentException"/> says the mail certainly did not go, any other exception that it may have.
/// </summary>
public sealed class MailSender(IOptions<SmtpOptions> options, ILogger<MailSender> logger)
{
    public async Task SendAsync(string to, string subject, string text, string html, string correlationId, CancellationToken ct)
    {
        var smtp = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Headers.Add("X-Correlation-Id", correlationId);
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();

        using var activity = NotificationsTelemetry.Activities.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("server.address", smtp.Host);
        activity?.SetTag("server.port", smtp.Port);
        // The timeout bounds the connect and every read and write: a server that accepts and never answers
        // would otherwise hold a consumer for MailKit's default of two minutes per step.
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port,
                smtp.RequireTls ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable, ct);
            if (!string.IsNullOrEmpty(smtp.Username))
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        }
        catch (Exception e)
        {
            // Nothing of the mail has been sent before MAIL FROM: unreachable, silent, no TLS, or the login refused.
            throw new MailNotSentException($"SMTP server {smtp.Host}:{smtp.Port} not reached, not secured or refused the login", e);
        }
        try
        {
            await client.SendAsync(message, ct);
        }
        catch (SmtpCommandException e)
        {
            // The server answered with an error (to MAIL FROM, RCPT TO or the data): it did not take the mail.
            throw new MailNotSentException($"SMTP server refused the mail: {(int)e.StatusCode} {e.Message}", e);
        }
        try
        {
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The mail was accepted already; a failed QUIT changes nothing.
            logger.LogWarning(e, "SMTP disconnect failed after the mail was accepted");
        }
        // The address is personal data: log the message id and correlation id only.
        logger.LogInformation("Sent mail {MessageId} ({Subject}) correlation {CorrelationId}", message.MessageId, subject, correlationId);
    }
}
