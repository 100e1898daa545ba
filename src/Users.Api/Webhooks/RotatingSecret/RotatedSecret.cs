namespace Users.Api.Webhooks.RotatingSecret;

/// <summary>The new signing secret, shown this once; the previous ones keep signing beside it until <paramref name="PreviousSecretsExpireAt"/>.</summary>
public sealed record RotatedSecret(Guid EndpointId, string Secret, DateTimeOffset PreviousSecretsExpireAt);
