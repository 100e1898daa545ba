using System.Collections.Concurrent;

namespace Users.Notifications.Sms;

/// <summary>One text message as the development sender kept it.</summary>
public sealed record SentSms(string To, string Text, DateTimeOffset SentAt, string CorrelationId);

/// <summary>
/// Sends nothing: keeps the latest messages in memory, where <c>/dev/sms</c> shows them like the mail catcher shows
/// mails (Development and Testing only, see <see cref="SmsSetup"/>).
/// </summary>
public sealed class DevelopmentSmsSender(TimeProvider clock) : ISmsSender
{
    public const int Kept = 500;
    private readonly ConcurrentQueue<SentSms> _messages = new();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<SentSms> Messages => [.. _messages.Reverse()];

    public Task SendAsync(string phoneNumber, string text, string correlationId, CancellationToken ct)
    {
        _messages.Enqueue(new SentSms(phoneNumber, text, clock.GetUtcNow(), correlationId));
        while (_messages.Count > Kept)
            _messages.TryDequeue(out _);
        return Task.CompletedTask;
    }
}

/// <summary>No gateway configured: the code is stored (so the API's answers stay the same) but no text goes.</summary>
public sealed class NoSmsGateway(ILogger<NoSmsGateway> logger) : ISmsSender
{
    public Task SendAsync(string phoneNumber, string text, string correlationId, CancellationToken ct)
    {
        // Never the text: it holds the code.
        logger.LogWarning("No SMS gateway is configured (Sms:Sender): a verification code was not texted, correlation {CorrelationId}",
            correlationId);
        return Task.CompletedTask;
    }
}
