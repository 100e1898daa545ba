namespace Users.Api.Webhooks.ReadingDeliveries;

/// <summary>A page of an endpoint's delivery log, oldest first; <paramref name="NextAfter"/> reads the next page (null: none).</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items, long? NextAfter);
