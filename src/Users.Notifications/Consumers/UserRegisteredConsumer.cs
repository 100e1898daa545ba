using MassTransit;
using Users.Contracts;
using Users.Notifications.Verification;

namespace Users.Notifications.Consumers;

public sealed class UserRegisteredConsumer(VerificationMail verification) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) =>
        verification.SendAsync(context.Message.UserId, context.Message.Email, context.Message.EventId,
            context.Message.CorrelationId, context.CancellationToken);
}
