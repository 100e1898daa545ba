using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Users.Api.Messaging;

/// <summary>
/// A durable Marten subscription: reads committed events in global order and publishes their integration
/// events through Wolverine's outbox, in the same transaction that advances the subscription's position.
/// So whoever appended the event (the API or the notifications worker), it reaches RabbitMQ once it has
/// committed, and only then.
/// </summary>
public sealed class IntegrationEventRelay : BatchSubscription
{
    public IntegrationEventRelay() : base("IntegrationEvents")
    {
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            // The topic is the contract's type name: the binding key of its MassTransit exchange.
            if (IntegrationEvents.From(e) is { } message)
                await bus.BroadcastToTopicAsync(RabbitMqRouting.TopicOf(message.GetType()), message);
        }
    }
}
