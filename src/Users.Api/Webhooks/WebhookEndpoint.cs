using System.Security.Cryptography;

namespace Users.Api.Webhooks;

/// <summary>
/// A registered webhook receiver. Its secrets must be kept in clear (an HMAC needs the key to sign), so they never
/// leave this document except in the response that created them.
/// </summary>
public sealed class WebhookEndpoint
{
    public const string SecretPrefix = "whsec_";

    public Guid Id { get; set; }
    public string Url { get; set; } = "";
    /// <summary>Contract type names (UserRegistered, …) this endpoint receives; empty: every type.</summary>
    public List<string> EventTypes { get; set; } = [];
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Signing secrets, newest first; a superseded one signs beside the new one until it expires.</summary>
    public List<WebhookSigningSecret> Secrets { get; set; } = [];
    /// <summary>Deliveries that failed for good since the last success; the endpoint is disabled at the configured count.</summary>
    public int FailedDeliveriesInARow { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SecretRotatedAt { get; set; }

    /// <summary>A fresh secret in Standard Webhooks' form: "whsec_" and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The secrets that sign a delivery made at <paramref name="now"/>.</summary>
    public IEnumerable<string> SigningSecretsAt(DateTimeOffset now) =>
        Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now).Select(s => s.Secret);

    /// <summary>Puts a new secret first; the current ones keep signing until <paramref name="overlapEnds"/>.</summary>
    public string Rotate(DateTimeOffset now, DateTimeOffset overlapEnds)
    {
        var secret = NewSecret();
        Secrets = [new WebhookSigningSecret(secret, null),
            .. Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now)
                .Select(s => s with { ExpiresAt = s.ExpiresAt is { } e && e < overlapEnds ? e : overlapEnds })];
        SecretRotatedAt = now;
        return secret;
    }
}
