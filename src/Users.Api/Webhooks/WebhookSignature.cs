using StandardWebhooks;

namespace Users.Api.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c> keyed with the
/// base64-decoded secret, one signature per live secret, separated by spaces (receivers accept any one).
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    /// <summary>The contract type name of the body (not signed: the body says what it is by its fields, the id names the event).</summary>
    public const string EventTypeHeader = "webhook-event-type";

    public static string Sign(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, body)));
}
