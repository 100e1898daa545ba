namespace Users.Api.Tests.Webhooks;

/// <summary>Retries given up after 3 s and endpoints disabled after 2 failed deliveries, so a test sees both within seconds.</summary>
public sealed class FailingEndpointStack : WebhookStack
{
    public const string AdminEmail = "webhook-admin@users.test";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.2",
        ["Webhooks:RetryMaxDelay"] = "00:00:00.5",
        ["Webhooks:RetryWindow"] = "00:00:03",
        ["Webhooks:DisableAfterFailedDeliveries"] = "2",
        ["Webhooks:PollInterval"] = "00:00:00.1",
        ["Webhooks:AdminEmail"] = AdminEmail,
    };
}
