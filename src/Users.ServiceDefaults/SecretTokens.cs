using System.Security.Cryptography;
using System.Text;

namespace Users.ServiceDefaults;

/// <summary>
/// The secrets this service hands out (mailed verification and revert codes, API keys): 256 random bits in
/// base64url, stored only as their SHA-256 in lower-case hex (enough for a random secret no dictionary can guess).
/// </summary>
public static class SecretTokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored and looked up instead of the secret; the same secret always gives the same hash.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time whatever the lengths, since it compares the hashes.</summary>
    public static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A one-time numeric code (texted to a phone), uniformly random.</summary>
    public static string NewCode(int digits) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// What is stored instead of a short code: its hash bound to what it is for (<paramref name="scope"/>, e.g. the
    /// phone number's id), so one stored hash answers for one code only. Short codes are few: the attempt limit and
    /// the short lifetime protect them, not the hash alone.
    /// </summary>
    public static string HashCode(Guid scope, string code) => Hash($"{scope:N}:{code}");
}
