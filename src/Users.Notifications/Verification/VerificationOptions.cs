namespace Users.Notifications.Verification;

public sealed class VerificationOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>How long the previous address may undo a change of email (Verification:RevertTokenLifetime).</summary>
    public TimeSpan RevertTokenLifetime { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long a code texted to a phone number holds (Verification:PhoneCodeLifetime).</summary>
    public TimeSpan PhoneCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Where links in mails point (Users:PublicBaseUrl).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
