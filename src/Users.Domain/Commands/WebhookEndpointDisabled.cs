using System.Text.Json.Serialization;

namespace Users.Commands;

/// <summary>
/// The API disabled a webhook endpoint after repeated failed deliveries: the notifications worker mails the admin
/// (<c>Webhooks:AdminEmail</c>). Internal, like <see cref="RecordEmailVerificationRequested"/>: not a published contract.
/// </summary>
public sealed record WebhookEndpointDisabled
{
    [JsonPropertyName("endpoint_id")] public Guid EndpointId { get; init; }
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("disabled_at")] public DateTimeOffset DisabledAt { get; init; }
    /// <summary>Where the notice goes.</summary>
    [JsonPropertyName("admin_email")] public string AdminEmail { get; init; } = "";

    /// <summary>The exchange the API publishes it to and the worker's queue binds (MassTransit's name for the type).</summary>
    public const string Exchange = "Users.Commands:WebhookEndpointDisabled";
}
