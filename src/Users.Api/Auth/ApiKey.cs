using Users.ServiceDefaults;

namespace Users.Api.Auth;

/// <summary>
/// An issued API key, read by authentication (<see cref="ApiKeyAuthentication"/>), issued and revoked by its
/// owner (Users/ManagingApiKeys) and revoked by an account recovery (Users/RevertingEmail). The key itself is
/// shown once and never stored: only its SHA-256 (enough for a 256-bit random secret, which no dictionary can
/// guess) and a short prefix to recognise it by.
/// </summary>
public sealed class ApiKey
{
    public const string Marker = "in-";
    private const int PrefixLength = 8;

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>What the key is for, as its holder named it ("ci", "billing sync"): 1–100 characters.</summary>
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>admin or auditor for keys an admin issued with a role; null for a plain user's key.</summary>
    public string? Role { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>After this the key authenticates no more, like a revoked one; null: it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>A new key and the document that remembers it; the key must go to the caller and nowhere else.</summary>
    public static (string Key, ApiKey Document) Issue(Guid userId, string name, DateTimeOffset? expiresAt, string? role,
        string createdBy, DateTimeOffset now)
    {
        var key = Marker + SecretTokens.New();
        return (key, new ApiKey
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name,
            ExpiresAt = expiresAt,
            Prefix = key[..PrefixLength],
            Hash = HashOf(key),
            Role = role,
            CreatedBy = createdBy,
            CreatedAt = now,
        });
    }

    public static string HashOf(string key) => SecretTokens.Hash(key);
}
