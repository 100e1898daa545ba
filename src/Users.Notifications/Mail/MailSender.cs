using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Users.Notifications.Operability;

namespace Users.Notifications.Mail;

/// <summary>Sends one mail over SMTP with MailKit. Failures throw, so the consumer's retry policy takes over.</summary>
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
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.None, ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
        // The address is personal data: log the message id and correlation id only.
        logger.LogInformation("Sent mail {MessageId} ({Subject}) correlation {CorrelationId}", message.MessageId, subject, correlationId);
    }
}
