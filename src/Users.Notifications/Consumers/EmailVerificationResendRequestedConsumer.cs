using MassTransit;
using Users.Contracts;
using Users.Notifications.Verification;

namespace Users.Notifications.Consumers;

/// <summary>The user asked for the verification mail again: a fresh token, through the same path.</summary>
public sealed class EmailVerificationResendRequestedConsumer(VerificationMail verification) : IConsumer<EmailVerificationResendRequested>
{
    public Task Consume(ConsumeContext<EmailVerificationResendRequested> context) =>
        verification.SendAsync(context.Message.UserId, context.Message.Email, context.Message.EventId,
            context.Message.CorrelationId, context.CancellationToken);
}
