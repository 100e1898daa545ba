using Users.Api.Auth;

namespace Users.Api.Users.ManagingApiKeys;

/// <summary>An API key as issued: the listed fields and, this once, the key (Cache-Control: no-store).</summary>
public sealed record IssuedApiKey(Guid Id, string Name, string Prefix, string? Role, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string Key)
{
    public static IssuedApiKey Of(ApiKey document, string key) =>
        new(document.Id, document.Name, document.Prefix, document.Role, document.CreatedAt, document.CreatedBy,
            document.LastUsedAt, document.ExpiresAt, document.RevokedAt, key);
}
