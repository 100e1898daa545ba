namespace Users.Notifications.Mail;

/// <summary>The <c>Smtp:*</c> configuration section.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;
    public string From { get; set; } = "no-reply@users.local";
    /// <summary>How long one network step (connect, greeting, each command) may take before the send fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// STARTTLS is used whenever the server offers it; true refuses to send (and to log in) over a connection
    /// the server would not encrypt.
    /// </summary>
    public bool RequireTls { get; set; }
    /// <summary>Logs in with <see cref="Username"/> and <see cref="Password"/> when a user name is set.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
}
