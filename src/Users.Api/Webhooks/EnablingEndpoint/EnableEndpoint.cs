using Marten;

namespace Users.Api.Webhooks.EnablingEndpoint;

/// <summary>
/// Stops or resumes deliveries to an endpoint. While disabled, no deliveries are queued for it (replay the gap
/// after enabling); the ones queued before wait and resume on enabling.
/// </summary>
public static class EnableEndpoint
{
    public static void MapEnableEndpoint(this RouteGroupBuilder admin)
    {
        admin.MapPost("/webhooks/{id:guid}/disable", (Guid id, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
                SetAsync(id, false, session, clock, ct))
            .WithName("DisableWebhookEndpoint")
            .WithSummary("Stop deliveries to the endpoint (admin); events committed while it is disabled are not queued for it.")
            .Produces<WebhookEndpointView>();
        admin.MapPost("/webhooks/{id:guid}/enable", (Guid id, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
                SetAsync(id, true, session, clock, ct))
            .WithName("EnableWebhookEndpoint")
            .WithSummary("Resume deliveries to the endpoint (admin) and clear its failure count; replay what it missed with /replay.")
            .Produces<WebhookEndpointView>();
    }

    private static async Task<IResult> SetAsync(Guid id, bool enabled, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(id, ct) is not { } endpoint)
            return WebhookEndpointView.NotFound(id);
        if (endpoint.Enabled != enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledAt = enabled ? null : clock.GetUtcNow();
            endpoint.DisabledReason = enabled ? null : "Disabled by an admin.";
            if (enabled)
                endpoint.FailedDeliveriesInARow = 0;
            session.Store(endpoint);
            await session.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(WebhookEndpointView.Of(endpoint));
    }
}
