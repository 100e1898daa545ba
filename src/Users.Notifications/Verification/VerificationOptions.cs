namespace Users.Notifications.Verification;

public sealed class VerificationOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Where links in mails point (Users:PublicBaseUrl).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
