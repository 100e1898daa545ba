namespace Users.Api.Webhooks.ReadingDeliveries;

/// <summary>One delivery of one event to one endpoint: its attempts and outcome (pending while neither delivered nor failed).</summary>
public sealed record WebhookDeliveryView(long Id, Guid EventId, string EventType, Guid UserId, long Version, bool Replay, int Attempts,
    int? LastStatus, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset DueAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt);
