using System.Security.Cryptography;
using System.Text;
using Users.Domain.Rules;

namespace Users.Api.Dialects.Seed003;

/// <summary>
/// Seed 003's prefixed ids as aliases of ours: <c>user_</c> + the user's UUID in hex, so it round-trips;
/// <c>email_</c>/<c>pn_</c> + a digest of (user, value), stable for as long as the user keeps that value.
/// </summary>
public static class Seed003Ids
{
    public static string User(Guid id) => "user_" + id.ToString("N");

    /// <summary>Accepts the dialect's <c>user_…</c> form and a plain UUID.</summary>
    public static bool TryParseUser(string value, out Guid id) =>
        value.StartsWith("user_", StringComparison.Ordinal)
            ? Guid.TryParseExact(value["user_".Length..], "N", out id)
            : Guid.TryParse(value, out id);

    public static string Email(Guid userId, string email) => "email_" + Digest(userId, EmailAddress.Normalize(email));

    public static string PhoneNumber(Guid userId, string phoneNumber) => "pn_" + Digest(userId, phoneNumber);

    private static string Digest(Guid userId, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId.ToString("N") + ":" + value)))[..32];
}
