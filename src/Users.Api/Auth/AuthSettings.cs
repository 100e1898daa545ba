using System.Text;

namespace Users.Api.Auth;

/// <summary>The <c>Auth:*</c> configuration section.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";
    public const int MinSigningKeyBytes = 32;

    /// <summary>HS256 secret for development and test tokens (UTF-8, at least 32 bytes).</summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "users";
    public string Audience { get; set; } = "users";
    /// <summary>An OIDC authority (production): its published keys replace <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }
    /// <summary>An admin API key for a fresh install.</summary>
    public string? BootstrapAdminApiKey { get; set; }

    public static AuthSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
        if (string.IsNullOrWhiteSpace(settings.Authority))
        {
            if (string.IsNullOrEmpty(settings.SigningKey))
                throw new InvalidOperationException("Auth:SigningKey (development/tests) or Auth:Authority (OIDC) is required.");
            if (Encoding.UTF8.GetByteCount(settings.SigningKey) < MinSigningKeyBytes)
                throw new InvalidOperationException($"Auth:SigningKey must be at least {MinSigningKeyBytes} bytes of UTF-8.");
        }
        if (settings.BootstrapAdminApiKey is { Length: > 0 and < 20 })
            throw new InvalidOperationException("Auth:BootstrapAdminApiKey must be at least 20 characters.");
        return settings;
    }
}
