using System.Text;
using Microsoft.IdentityModel.Tokens;

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
    /// <summary>The signature algorithms accepted from <see cref="Authority"/>: asymmetric ones only.</summary>
    /// <remarks>Default RS256 and ES256 (empty here: the binder appends to a non-empty array).</remarks>
    public string[] Algorithms { get; set; } = [];
    /// <summary>An admin API key for a fresh install.</summary>
    public string? BootstrapAdminApiKey { get; set; }

    /// <summary>
    /// Secrets published in this repository (appsettings.Development.json, scripts/services.sh, docs): anyone can
    /// mint tokens or act as admin with them, so only Development and Testing accept them.
    /// </summary>
    public static readonly IReadOnlySet<string> PublishedSecrets = new HashSet<string>(StringComparer.Ordinal)
    {
        "development-only-signing-key-change-me-0123456789",
        "dev-signing-key-0123456789-abcdefghijklmnop",
        "in-dev-bootstrap-admin-key-change-me",
    };

    /// <summary>The environments where the published development secrets are allowed.</summary>
    public static bool AllowsPublishedSecrets(string environment) =>
        environment is "Development" or "Testing";

    /// <summary>The <c>typ</c> headers accepted: RFC 9068 access tokens and plain JWTs.</summary>
    public static readonly string[] TokenTypes = ["at+jwt", "JWT"];

    private static readonly HashSet<string> AsymmetricAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    };

    public static AuthSettings From(IConfiguration configuration, string environment)
    {
        var settings = configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
        if (settings.Algorithms.Length == 0)
            settings.Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
        if (settings.Algorithms.Any(a => !AsymmetricAlgorithms.Contains(a)))
            throw new InvalidOperationException(
                $"Auth:Algorithms lists asymmetric JWS algorithms only (RS256, ES256, PS256, …), not [{string.Join(", ", settings.Algorithms)}].");
        if (string.IsNullOrWhiteSpace(settings.Authority) && string.IsNullOrEmpty(settings.SigningKey))
            throw new InvalidOperationException("Auth:SigningKey (development/tests) or Auth:Authority (OIDC) is required.");
        if (!string.IsNullOrEmpty(settings.SigningKey) && Encoding.UTF8.GetByteCount(settings.SigningKey) < MinSigningKeyBytes)
            throw new InvalidOperationException($"Auth:SigningKey must be at least {MinSigningKeyBytes} bytes of UTF-8.");
        if (settings.BootstrapAdminApiKey is { Length: > 0 and < 20 })
            throw new InvalidOperationException("Auth:BootstrapAdminApiKey must be at least 20 characters.");
        if (!AllowsPublishedSecrets(environment))
        {
            if (settings.SigningKey is { } key && PublishedSecrets.Contains(key))
                throw new InvalidOperationException(
                    $"Auth:SigningKey is a development key published in this repository; the {environment} environment needs a secret of its own (e.g. openssl rand -base64 48).");
            if (settings.BootstrapAdminApiKey is { } admin && PublishedSecrets.Contains(admin))
                throw new InvalidOperationException(
                    $"Auth:BootstrapAdminApiKey is a development key published in this repository; the {environment} environment needs one of its own (e.g. in-$(openssl rand -hex 32)), or none.");
        }
        return settings;
    }
}
