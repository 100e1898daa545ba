using MassTransit;
using Users.Contracts;
using Users.Notifications.Verification;

namespace Users.Notifications.Consumers;

/// <summary>
/// A new address is unverified until its owner proves it: mail it a verification link. And tell the old
/// address, with a link that undoes the change. Each step is idempotent on its own, so a retry after a
/// half-done attempt sends only what is missing.
/// </summary>
public sealed class EmailChangedConsumer(VerificationMail verification, EmailChangeNotice notice) : IConsumer<EmailChanged>
{
    public async Task Consume(ConsumeContext<EmailChanged> context)
    {
        var m = context.Message;
        await verification.SendAsync(m.UserId, m.NewEmail, m.EventId, m.CorrelationId, context.CancellationToken);
        await notice.SendAsync(m.UserId, m.OldEmail, m.NewEmail, m.EventId, m.CorrelationId, context.CancellationToken);
    }
}
