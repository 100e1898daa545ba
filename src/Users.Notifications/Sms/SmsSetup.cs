using System.Net;
using System.Text;

namespace Users.Notifications.Sms;

public static class SmsSetup
{
    /// <summary>
    /// <c>Sms:Sender</c>: <c>Development</c> (the default in Development and Testing, refused elsewhere: its page shows
    /// every code) or <c>None</c> (the default elsewhere until a gateway is added here).
    /// </summary>
    public static void AddSmsSender(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        var sender = builder.Configuration["Sms:Sender"] ?? (development ? "Development" : "None");
        switch (sender)
        {
            case "Development" when development:
                builder.Services.AddSingleton<DevelopmentSmsSender>();
                builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<DevelopmentSmsSender>());
                break;
            case "Development":
                throw new InvalidOperationException("Sms:Sender=Development shows every code on a page: only in Development or Testing.");
            case "None":
                builder.Services.AddSingleton<ISmsSender, NoSmsGateway>();
                break;
            default:
                throw new InvalidOperationException($"Sms:Sender '{sender}' is not known: Development or None.");
        }
    }

    /// <summary>
    /// With the development sender: <c>/dev/sms</c>, a page of the texts a developer would have received, and
    /// <c>/dev/sms/messages</c> (JSON, newest first, <c>?to=</c> filters by number) for scripts and tests.
    /// </summary>
    public static void MapDevSms(this WebApplication app)
    {
        if (app.Services.GetService<DevelopmentSmsSender>() is null)
            return;
        app.MapGet("/dev/sms/messages", (string? to, DevelopmentSmsSender sms) =>
            TypedResults.Json(sms.Messages.Where(m => to is null || m.To == to).Select(m => new
            {
                to = m.To,
                text = m.Text,
                sent_at = m.SentAt,
                correlation_id = m.CorrelationId,
            })));
        app.MapGet("/dev/sms", (DevelopmentSmsSender sms) =>
        {
            var rows = new StringBuilder();
            foreach (var m in sms.Messages)
                rows.Append($"<tr><td>{m.SentAt:u}</td><td>{WebUtility.HtmlEncode(m.To)}</td><td>{WebUtility.HtmlEncode(m.Text)}</td></tr>");
            return TypedResults.Content(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Text messages (development)</title>" +
                "<meta http-equiv=\"refresh\" content=\"5\"></head><body><h1>Text messages (development)</h1>" +
                "<p>What the development SMS sender would have texted, newest first (the latest " + DevelopmentSmsSender.Kept +
                "). JSON: <a href=\"/dev/sms/messages\">/dev/sms/messages</a>.</p>" +
                "<table><thead><tr><th>sent</th><th>to</th><th>text</th></tr></thead><tbody>" + rows +
                "</tbody></table></body></html>", "text/html; charset=utf-8");
        });
    }
}
