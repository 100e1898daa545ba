namespace Users.Api.Tests.Webhooks;

/// <summary>Webhooks as in production but for plain http: any public host, no private network.</summary>
public sealed class SsrfStack : WebhookStack
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.2",
        ["Webhooks:RetryMaxDelay"] = "00:00:01",
        ["Webhooks:PollInterval"] = "00:00:00.1",
    };
}
