namespace Users.Notifications.Sms;

/// <summary>
/// Sends a text message. Chosen by <c>Sms:Sender</c> (<see cref="SmsSetup"/>): <c>Development</c> keeps the
/// messages for a developer's page, <c>None</c> sends nothing; a gateway is one more implementation registered
/// there. Throw <see cref="SmsNotSentException"/> when the message certainly did not go: the consume is retried.
/// </summary>
public interface ISmsSender
{
    Task SendAsync(string phoneNumber, string text, string correlationId, CancellationToken ct);
}

/// <summary>The gateway refused the message or could not be reached: nothing was sent.</summary>
public sealed class SmsNotSentException(string message, Exception? inner = null) : Exception(message, inner);
