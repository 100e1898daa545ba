namespace Users.Projections.Encryption;

/// <summary>
/// <c>Encryption:MasterKey</c>: 32 random bytes in base64 that wrap every user's data key (docs/auditing.md,
/// "Encryption of personal data"). Whoever holds it and the database reads every non-erased value.
/// </summary>
public static class MasterKey
{
    public const string Setting = "Encryption:MasterKey";

    /// <summary>Published in appsettings.Development.json: anyone can open data sealed with it.</summary>
    public const string Development = "yA60I2bYtP3BkQv0/mn92F4UVPZNYLCnV2ENlBWw3wo=";

    public static readonly IReadOnlySet<string> Published = new HashSet<string>(StringComparer.Ordinal) { Development };

    /// <summary>
    /// The configured key. Development and Testing fall back to the published one; any other environment needs
    /// a key of its own and refuses the published one, like <c>AuthSettings</c> refuses the published secrets.
    /// </summary>
    public static byte[] From(string? configured, string environment)
    {
        var allowsPublished = environment is "Development" or "Testing";
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (!allowsPublished)
                throw new InvalidOperationException(
                    $"{Setting} is required in the {environment} environment: 32 random bytes in base64 (openssl rand -base64 32).");
            configured = Development;
        }
        else if (!allowsPublished && Published.Contains(configured))
            throw new InvalidOperationException(
                $"{Setting} is the development key published in this repository; the {environment} environment needs a key of its own (openssl rand -base64 32).");

        byte[] key;
        try
        {
            key = Convert.FromBase64String(configured);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Setting} is not base64: 32 random bytes in base64 (openssl rand -base64 32).");
        }
        if (key.Length != 32)
            throw new InvalidOperationException($"{Setting} must be 32 bytes (256 bits) in base64, not {key.Length}.");
        return key;
    }
}
