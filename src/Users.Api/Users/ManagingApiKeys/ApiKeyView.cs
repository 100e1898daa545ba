using Users.Api.Auth;

namespace Users.Api.Users.ManagingApiKeys;

/// <summary>An API key as listed: everything but the key itself.</summary>
public sealed record ApiKeyView(Guid Id, string Name, string Prefix, string? Role, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyView Of(ApiKey key) =>
        new(key.Id, key.Name, key.Prefix, key.Role, key.CreatedAt, key.CreatedBy, key.LastUsedAt, key.ExpiresAt, key.RevokedAt);
}
