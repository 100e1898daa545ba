namespace Users.Api.Webhooks;

/// <summary>An endpoint as listed: everything but its secrets.</summary>
public sealed record WebhookEndpointView(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    string? DisabledReason, DateTimeOffset? DisabledAt, int FailedDeliveriesInARow, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? SecretRotatedAt)
{
    public static WebhookEndpointView Of(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.EventTypes, e.Description, e.Enabled, e.DisabledReason, e.DisabledAt, e.FailedDeliveriesInARow,
            e.CreatedAt, e.CreatedBy, e.SecretRotatedAt);

    public static IResult NotFound(Guid id) =>
        Http.ApiProblem.Of(StatusCodes.Status404NotFound, "Webhook endpoint not found", $"No webhook endpoint has the id {id}.");
}
