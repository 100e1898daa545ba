using System.Net.Mail;

namespace Users.Domain.Rules;

public static class EmailAddress
{
    // RFC 5321: 64 octets of local part, 254 for the whole path.
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

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
