using MassTransit;
using Users.Contracts;
using Users.Notifications.Verification;

namespace Users.Notifications.Consumers;

/// <summary>A new address is unverified until its owner proves it: mail it a verification link.</summary>
public sealed class EmailChangedConsumer(VerificationMail verification) : IConsumer<EmailChanged>
{
    public Task Consume(ConsumeContext<EmailChanged> context) =>
        verification.SendAsync(context.Message.UserId, context.Message.NewEmail, context.Message.EventId,
            context.Message.CorrelationId, context.CancellationToken);
}
