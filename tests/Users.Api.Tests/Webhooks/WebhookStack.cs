using System.Net.Http.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Users.Api.Tests.Infrastructure;
using Users.Projections;

namespace Users.Api.Tests.Webhooks;

/// <summary>The service with webhooks allowed to plain http on 127.0.0.1 and short retries (a test waits seconds, not days).</summary>
public class WebhookStack : UsersStack
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.2",
        ["Webhooks:RetryMaxDelay"] = "00:00:01",
        ["Webhooks:RetryWindow"] = "00:02:00",
        ["Webhooks:PollInterval"] = "00:00:00.1",
        ["Webhooks:Timeout"] = "00:00:05",
        // Fewer slots than heads of queue, so a claim fills every slot (as under load).
        ["Webhooks:Concurrency"] = "2",
    };

    /// <summary>Registers an endpoint as admin; returns its id and its secret.</summary>
    public async Task<(Guid Id, string Secret)> RegisterEndpointAsync(string url, params string[] eventTypes)
    {
        var response = await Api.PostJsonAsync("/api/v1/webhooks", new { url, event_types = eventTypes, description = "test receiver" });
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201)
            throw new InvalidOperationException($"Registration failed: {(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        return (json["id"]!.GetValue<Guid>(), json["secret"]!.GetValue<string>());
    }

    /// <summary>The (user, version) pairs of the user's stream that are published as contracts.</summary>
    public async Task<IReadOnlyList<long>> PublishedVersionsAsync(Guid userId) =>
        [.. (await this.StreamAsync(userId)).Where(e => IntegrationEvents.From(e) is not null).Select(e => e.Version)];

    public async Task<JsonArray> DeliveriesAsync(Guid endpointId)
    {
        var page = await Api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{endpointId}/deliveries?limit=1000");
        return page!["items"]!.AsArray();
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookStack>
{
    public const string Name = "webhooks";
}
