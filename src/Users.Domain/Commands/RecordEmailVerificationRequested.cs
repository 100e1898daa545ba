using System.Text.Json.Serialization;

// Commands the service sends itself over RabbitMQ: internal (not part of the published contracts), but the
// notifications worker (MassTransit) and the API (Wolverine) must agree on namespace, type name and JSON names.
namespace Users.Commands;

/// <summary>
/// The notifications worker mailed a verification link: the API records EmailVerificationRequested on the
/// user's stream through its own outboxed write path, so the event is published like any other. Sent again
/// after a crash or redelivered by the broker, it is recorded once: the stream remembers the causing event.
/// </summary>
public sealed record RecordEmailVerificationRequested
{
    [JsonPropertyName("user_id")] public Guid UserId { get; init; }
    [JsonPropertyName("email")] public string Email { get; init; } = "";
    [JsonPropertyName("expires_at")] public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The event that asked for the mail (UserRegistered, EmailChanged, EmailVerificationResendRequested).</summary>
    [JsonPropertyName("causation_event_id")] public Guid CausationEventId { get; init; }
    [JsonPropertyName("correlation_id")] public string? CorrelationId { get; init; }
}

/// <summary>Where the worker sends commands for the API: a durable queue the API listens to, behind an exchange of the same name.</summary>
public static class ApiCommandQueue
{
    public const string Name = "users-api-commands";
}
