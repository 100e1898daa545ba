using Marten;
using Users.Commands;
using Wolverine;

namespace Users.Api.Webhooks.DisablingEndpoint;

/// <summary>
/// Disables an endpoint whose deliveries keep failing, and (through the outbox, in the same transaction) asks the
/// worker to mail the admin. The endpoint document is versioned: when two nodes decide at once, the second one's
/// store fails, is retried, and finds the endpoint disabled already, so the admin gets one mail.
/// </summary>
public static class DisableFailingEndpointHandler
{
    public static async Task<OutgoingMessages> Handle(DisableFailingEndpoint command, IDocumentSession session, WebhookSettings settings,
        TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        var endpoint = await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct);
        if (endpoint is not { Enabled: true } || endpoint.FailedDeliveriesInARow < settings.DisableAfterFailedDeliveries)
            return messages;

        var now = clock.GetUtcNow();
        endpoint.Enabled = false;
        endpoint.DisabledAt = now;
        endpoint.DisabledReason = $"{endpoint.FailedDeliveriesInARow} deliveries in a row failed, each after retries for {settings.RetryWindow}.";
        session.Store(endpoint);
        if (!string.IsNullOrWhiteSpace(settings.AdminEmail))
            messages.Add(new WebhookEndpointDisabled
            {
                EndpointId = endpoint.Id,
                Url = endpoint.Url,
                Reason = endpoint.DisabledReason,
                DisabledAt = now,
                AdminEmail = settings.AdminEmail,
            });
        return messages;
    }
}
