using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Users.Api.Tests.Webhooks;

/// <summary>The receiver's verification helper exactly as docs/events.md shows it (C#, with the StandardWebhooks package).</summary>
public static class WebhookVerification
{
    // StandardWebhooks 1.1.2's Verify stops before the last of several signatures (during a secret rotation the
    // header carries two), so each one is compared here; the package computes the signature.
    public static bool IsGenuine(string secret, string body, IHeaderDictionary headers, DateTimeOffset now)
    {
        if (!long.TryParse(headers["webhook-timestamp"], out var unix) || Math.Abs(now.ToUnixTimeSeconds() - unix) > 5 * 60)
            return false; // replayed (or badly clocked): outside the five minutes' tolerance
        var expected = Encoding.ASCII.GetBytes(
            new StandardWebhook(secret).Sign(headers["webhook-id"].ToString(), DateTimeOffset.FromUnixTimeSeconds(unix), body));
        return headers["webhook-signature"].ToString().Split(' ')
            .Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), expected));
    }
}
