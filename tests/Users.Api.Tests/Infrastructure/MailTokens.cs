using System.Text.RegularExpressions;
using MimeKit;

namespace Users.Api.Tests.Infrastructure;

/// <summary>Reads the tokens out of the mails' plain-text parts, as a person would copy them.</summary>
public static partial class MailTokens
{
    public static string Verification(MimeMessage mail) => VerificationPattern().Match(mail.TextBody!).Groups[1].Value;

    public static string Revert(MimeMessage mail) => RevertPattern().Match(mail.TextBody!).Groups[1].Value;

    [GeneratedRegex(@"Your verification code: ([A-Za-z0-9_\-]+)")]
    private static partial Regex VerificationPattern();

    [GeneratedRegex(@"Your revert code: ([A-Za-z0-9_\-]+)")]
    private static partial Regex RevertPattern();
}
