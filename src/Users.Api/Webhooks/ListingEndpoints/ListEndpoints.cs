using Marten;

namespace Users.Api.Webhooks.ListingEndpoints;

/// <summary>The registered endpoints, and one of them; never a secret.</summary>
public static class ListEndpoints
{
    public static void MapListEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/webhooks", List)
            .WithName("ListWebhookEndpoints")
            .WithSummary("Every registered webhook endpoint (admin), without secrets.")
            .Produces<WebhookEndpointList>();
        admin.MapGet("/webhooks/{id:guid}", Get)
            .WithName("GetWebhookEndpoint")
            .WithSummary("One webhook endpoint (admin), without secrets.")
            .Produces<WebhookEndpointView>();
    }

    private static async Task<IResult> List(IQuerySession query, CancellationToken ct)
    {
        var endpoints = await query.Query<WebhookEndpoint>().OrderBy(x => x.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(new WebhookEndpointList([.. endpoints.Select(WebhookEndpointView.Of)]));
    }

    private static async Task<IResult> Get(Guid id, IQuerySession query, CancellationToken ct) =>
        await query.LoadAsync<WebhookEndpoint>(id, ct) is { } endpoint
            ? TypedResults.Ok(WebhookEndpointView.Of(endpoint))
            : WebhookEndpointView.NotFound(id);
}
