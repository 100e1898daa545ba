namespace Users.Notifications.Mail;

/// <summary>
/// The mail certainly did not leave: the SMTP server was unreachable or refused it. Any other failure of a send
/// may have come after the server accepted the mail, so callers must assume it went.
/// </summary>
public sealed class MailNotSentException(string message, Exception inner) : Exception(message, inner);
