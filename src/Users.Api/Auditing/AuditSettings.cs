namespace Users.Api.Auditing;

/// <summary>The <c>Audit:*</c> configuration section: the key that signs checkpoints and how often they are taken.</summary>
public sealed class AuditSettings
{
    public const string Section = "Audit";

    /// <summary>The Ed25519 private key (its 32-byte seed, base64) that signs checkpoints. None: no checkpoints.</summary>
    public string? SigningKey { get; set; }
    /// <summary>
    /// The Ed25519 public key (32 bytes, base64) an auditor trusts, for <c>audit verify</c> without the private key.
    /// Default: the one of <see cref="SigningKey"/>.
    /// </summary>
    public string? PublicKey { get; set; }
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Published in this repository (appsettings.Development.json, docs): only Development and Testing accept it.</summary>
    public const string DevelopmentSigningKey = "koJ1tFu1cNga4zyzgUCUH6e/m4BW/KhcVkHaZ2O/25Q=";

    public CheckpointSigner? Signer { get; private set; }
    public byte[]? TrustedPublicKey { get; private set; }

    public static AuditSettings From(IConfiguration configuration, string environment)
    {
        var settings = configuration.GetSection(Section).Get<AuditSettings>() ?? new AuditSettings();
        var developmentAllowed = environment is "Development" or "Testing";
        // Tests and development sign with the published key unless told otherwise, so checkpoints are exercised.
        if (string.IsNullOrEmpty(settings.SigningKey) && string.IsNullOrEmpty(settings.PublicKey) && developmentAllowed)
            settings.SigningKey = DevelopmentSigningKey;
        if (settings.SigningKey == DevelopmentSigningKey && !developmentAllowed)
            throw new InvalidOperationException(
                $"Audit:SigningKey is a development key published in this repository; the {environment} environment needs one of its own (32 random bytes, base64: openssl rand -base64 32).");
        if (settings.CheckpointInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Audit:CheckpointInterval must be positive.");
        if (!string.IsNullOrEmpty(settings.SigningKey))
            settings.Signer = CheckpointSigner.FromBase64(settings.SigningKey, "Audit:SigningKey");
        settings.TrustedPublicKey = !string.IsNullOrEmpty(settings.PublicKey)
            ? CheckpointSigner.PublicKeyFromBase64(settings.PublicKey, "Audit:PublicKey")
            : settings.Signer?.PublicKey;
        return settings;
    }
}
