namespace Users.Api.Webhooks;

/// <summary>One signing secret of an endpoint; <paramref name="ExpiresAt"/> is set once a newer one replaced it.</summary>
public sealed record WebhookSigningSecret(string Secret, DateTimeOffset? ExpiresAt);
