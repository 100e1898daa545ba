using Users.Projections;
using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;
using Wolverine.Util;

namespace Users.Api.Messaging;

public static class RabbitMqRouting
{
    /// <summary>Wolverine's dead-letter queue for the API's listeners (the worker's erasure sweep reads it too).</summary>
    public const string WolverineDeadLetterQueue = "wolverine-dead-letter-queue";

    /// <summary>The topic exchange every integration event is published to, in commit order.</summary>
    public const string AllEventsExchange = "Users.Contracts";

    /// <summary>
    /// Publishes every contract in MassTransit's envelope through ONE durable outbox endpoint to the topic
    /// exchange <see cref="AllEventsExchange"/> (routing key = contract type name). That exchange is bound
    /// to MassTransit's default fanout exchange for each type, "Users.Contracts:&lt;TypeName&gt;", so a
    /// MassTransit consumer needs nothing but our contract types. One endpoint means one sending agent,
    /// so one user's events reach a queue in version order; an endpoint per exchange would race.
    /// </summary>
    public static void RouteIntegrationEvents(this WolverineOptions opts, RabbitMqNodes broker)
    {
        var rabbit = opts.UseRabbitMq(broker.First).AutoProvision()
            // A message leaves the outbox only once the broker has confirmed it.
            .ConfigureChannelCreation(channel =>
            {
                channel.PublisherConfirmationsEnabled = true;
                channel.PublisherConfirmationTrackingEnabled = true;
            });
        // A cluster: the client connects to a node that answers and reconnects to another when it goes; envelopes
        // not yet confirmed stay in the outbox and are sent again.
        if (broker.Nodes.Count > 1)
        {
            foreach (var (host, port) in broker.Endpoints)
                rabbit.AddClusterNode(host, port);
        }
        if (broker.QuorumQueues)
        {
            rabbit.UseQuorumQueues();
            // Messages the API could not handle wait here for an operator: replicated like the queue they came from.
            rabbit.CustomizeDeadLetterQueueing(new DeadLetterQueue(WolverineDeadLetterQueue)
            {
                ConfigureQueue = queue => queue.QueueType = QueueType.quorum,
            });
        }
        foreach (var contract in IntegrationEvents.ContractTypes)
        {
            rabbit.DeclareExchange(IntegrationEvents.ExchangeName(contract), exchange =>
            {
                exchange.ExchangeType = ExchangeType.Fanout;
                exchange.BindExchange(AllEventsExchange, TopicOf(contract));
            });
        }

        opts.Publish(rule =>
        {
            foreach (var contract in IntegrationEvents.ContractTypes)
                rule.Message(contract);
            rule.ToRabbitTopics(AllEventsExchange)
                .UseMassTransitInterop()
                .UseDurableOutbox()
                // While the broker is unreachable, keep this many in memory for the sender's own retry once it
                // returns; beyond it envelopes are handed to the durability agent's (slower) outbox recovery.
                .CircuitBreaking(circuit => circuit.MaximumEnvelopeRetryStorage = 100_000);
        });
    }

    /// <summary>The routing key of a contract on <see cref="AllEventsExchange"/>: the topic Wolverine gives its type.</summary>
    public static string TopicOf(Type contract) => contract.ToMessageTypeName();
}
