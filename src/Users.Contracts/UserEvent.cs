using System.Text.Json.Serialization;

// Public, versioned integration events. Downstream services (MassTransit or any AMQP client) bind to
// the fanout exchange "Users.Contracts:<TypeName>". Documented in docs/events.md; change only additively.
namespace Users.Contracts;

/// <summary>What every integration event carries. Each concrete record is published to the RabbitMQ exchange
/// <c>Users.Contracts:&lt;TypeName&gt;</c> (and, with the routing key <c>&lt;TypeName&gt;</c>, to the topic exchange
/// <c>Users.Contracts</c>).</summary>
public abstract record UserEvent
{
    /// <summary>Unique per event; consumers deduplicate on it.</summary>
    [JsonPropertyName("event_id")] public Guid EventId { get; init; }
    /// <summary>The user the event is about (the id of the user's event stream).</summary>
    [JsonPropertyName("user_id")] public Guid UserId { get; init; }
    /// <summary>The user's stream version after this event: gapless and increasing per user, from 1.</summary>
    [JsonPropertyName("version")] public long Version { get; init; }
    /// <summary>When the event was recorded.</summary>
    [JsonPropertyName("occurred_at")] public DateTimeOffset OccurredAt { get; init; }
    /// <summary>Who caused it: a user id, "api-key:&lt;id&gt;", "anonymous" or "system".</summary>
    [JsonPropertyName("actor")] public string Actor { get; init; } = "system";
    /// <summary>The correlation id (X-Correlation-Id or trace id) of the request that caused it, if any.</summary>
    [JsonPropertyName("correlation_id")] public string? CorrelationId { get; init; }
}
