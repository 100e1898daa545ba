using System.Diagnostics;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Users.Api.Http;
using Users.Api.Operability;
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
            if (IntegrationEvents.From(e) is not { } message)
                continue;
            UsersMetrics.Updates.Add(1, new KeyValuePair<string, object?>("type", e.EventTypeName));
            // Publish inside the trace of the request that appended the event: Wolverine's send and the
            // consumers downstream then share its trace id.
            using var activity = StartPublishActivity(e, message.GetType().Name);
            // The topic is the contract's type name: the binding key of its MassTransit exchange.
            await bus.BroadcastToTopicAsync(RabbitMqRouting.TopicOf(message.GetType()), message);
        }
    }

    private static Activity? StartPublishActivity(IEvent e, string contract)
    {
        var traceParent = e.Headers?.GetValueOrDefault(SessionMetadata.TraceParentHeader)?.ToString();
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = UsersMetrics.Activities.StartActivity($"relay {contract}", ActivityKind.Producer, parent);
        activity?.SetTag("users.event_id", e.Id);
        activity?.SetTag("users.version", e.Version);
        return activity;
    }
}
