using Marten;

namespace Users.Api.Webhooks.RotatingSecret;

/// <summary>
/// A new signing secret. Standard Webhooks lets a delivery carry several signatures, so the old secret keeps
/// signing beside the new one for <c>Webhooks:RotationOverlap</c> (24 h): receivers switch without losing one.
/// </summary>
public static class RotateSecret
{
    public static void MapRotateSecret(this RouteGroupBuilder admin) =>
        admin.MapPost("/webhooks/{id:guid}/rotate-secret", Handle)
            .WithName("RotateWebhookSecret")
            .WithSummary("Issue a new signing secret (admin), shown in this response only; the previous one keeps signing beside it for Webhooks:RotationOverlap (24 h).")
            .Produces<RotatedSecret>();

    private static async Task<IResult> Handle(Guid id, HttpContext http, IDocumentSession session, WebhookSettings settings,
        TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(id, ct) is not { } endpoint)
            return WebhookEndpointView.NotFound(id);
        var now = clock.GetUtcNow();
        var overlapEnds = now + settings.RotationOverlap;
        var secret = endpoint.Rotate(now, overlapEnds);
        session.Store(endpoint);
        await session.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedSecret(id, secret, overlapEnds));
    }
}
