using Marten;

namespace Users.Api.Webhooks.DeletingEndpoint;

/// <summary>Deletes an endpoint with its secrets and its delivery log; nothing more is sent to it.</summary>
public static class DeleteEndpoint
{
    public static void MapDeleteEndpoint(this RouteGroupBuilder admin) =>
        admin.MapDelete("/webhooks/{id:guid}", Handle)
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete the endpoint (admin) with its secrets and delivery log.");

    private static async Task<IResult> Handle(Guid id, IDocumentSession session, WebhookStorage storage, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(id, ct) is null)
            return WebhookEndpointView.NotFound(id);
        session.Delete<WebhookEndpoint>(id);
        // In the same transaction: an endpoint is never half deleted.
        session.QueueSqlCommand($"delete from {storage.Deliveries} where endpoint_id = ?", id);
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
