using System.Net;
using MassTransit;
using Users.Commands;
using Users.Notifications.Mail;

namespace Users.Notifications.Webhooks;

/// <summary>Mails the admin that the API disabled a webhook endpoint whose deliveries kept failing.</summary>
public sealed class WebhookEndpointDisabledConsumer(MailSender mail) : IConsumer<WebhookEndpointDisabled>
{
    public async Task Consume(ConsumeContext<WebhookEndpointDisabled> context)
    {
        var notice = context.Message;
        if (string.IsNullOrWhiteSpace(notice.AdminEmail))
            return;
        var text = $"""
            The webhook endpoint {notice.EndpointId} ({notice.Url}) was disabled at {notice.DisabledAt:u}.
            {notice.Reason}

            Nothing more is queued for it. Once the receiver works again, enable it (POST /api/v1/webhooks/{notice.EndpointId}/enable)
            and replay what it missed (POST /api/v1/webhooks/{notice.EndpointId}/replay with from_time).
            """;
        var html = $"<p>The webhook endpoint <code>{notice.EndpointId}</code> ({WebUtility.HtmlEncode(notice.Url)}) was disabled at "
            + $"{notice.DisabledAt:u}.</p><p>{WebUtility.HtmlEncode(notice.Reason)}</p><p>Enable it once the receiver works again, "
            + "and replay what it missed from the time it was disabled.</p>";
        await mail.SendAsync(notice.AdminEmail, "Webhook endpoint disabled", text, html, notice.EndpointId.ToString(), context.CancellationToken);
    }
}
