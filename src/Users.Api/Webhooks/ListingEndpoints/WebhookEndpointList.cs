namespace Users.Api.Webhooks.ListingEndpoints;

/// <summary>Every registered endpoint, oldest first.</summary>
public sealed record WebhookEndpointList(IReadOnlyList<WebhookEndpointView> Items);
