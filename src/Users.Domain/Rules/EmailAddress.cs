using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Users.Domain.Rules;

public static class EmailAddress
{
    // RFC 5321: 64 octets of local part, 254 for the whole path.
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    private static readonly IdnMapping Idna = new() { UseStd3AsciiRules = false, AllowUnassigned = false };

    /// <summary>
    /// The key under which an address is compared and claimed: Unicode NFC (one form for "é" however typed), the
    /// domain as IDNA ASCII (punycode, so "bücher.example" and "xn--bcher-kva.example" are one domain), and
    /// everything case-folded. The local part keeps its dots and plus tags: only the mail provider knows whether
    /// they matter. A domain IDNA refuses (it will not pass validation either) is only case-folded.
    /// </summary>
    public static string Normalize(string email)
    {
        var nfc = email.Trim().Normalize(NormalizationForm.FormC);
        var at = nfc.LastIndexOf('@');
        if (at < 0)
            return nfc.ToLowerInvariant();
        var local = nfc[..at].ToLowerInvariant();
        var domain = nfc[(at + 1)..];
        try
        {
            domain = Idna.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Not a valid IDNA domain: compared as typed, case-folded.
        }
        return $"{local}@{domain.ToLowerInvariant()}";
    }

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaxLength || email != email.Trim())
            return false;
        var at = email.LastIndexOf('@');
        if (at <= 0 || at > MaxLocalPartLength || at == email.Length - 1)
            return false;
        var domain = email[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains(".."))
            return false;
        if (email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return false;
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
    }
}
