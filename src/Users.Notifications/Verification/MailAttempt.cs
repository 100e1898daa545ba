namespace Users.Notifications.Verification;

public enum MailAttemptState
{
    /// <summary>Committed before the SMTP send: the mail may have gone. Never mailed again.</summary>
    Mailing,
    /// <summary>Mailed, and what follows the mail (recording it on the stream) was done.</summary>
    Done,
}

/// <summary>
/// One mail a consumer owes for one event. Committed as <see cref="MailAttemptState.Mailing"/> (with the mail's
/// token) before the send, so a worker killed after the mail went finds it on redelivery and does not mail again;
/// removed when the send certainly failed, so the retry mails. No personal data: the address and expiry stay
/// on the token, which erasure deletes.
/// </summary>
public sealed class MailAttempt
{
    /// <summary>"&lt;kind&gt;:&lt;causing event id&gt;", e.g. "verification:0193…".</summary>
    public string Id { get; set; } = "";
    public MailAttemptState State { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    public static string IdFor(string kind, Guid causationEventId) => $"{kind}:{causationEventId}";
}
