using Users.Commands;
using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Users.Api.Messaging;

public static class WorkerCommands
{
    /// <summary>
    /// Listens to the commands the notifications worker (MassTransit) sends: a durable quorum queue, bound to the
    /// exchange of the same name that the worker sends to. Each message lands in Wolverine's durable inbox
    /// before RabbitMQ is acknowledged and is handled in a transaction with the events it appends, so a crash
    /// loses nothing. The delivery limit only counts broker redeliveries (a crash before the inbox took the
    /// message): a message that keeps killing the process is dead-lettered instead of looping.
    /// Call after <see cref="RabbitMqRouting.RouteIntegrationEvents"/>, which sets up the RabbitMQ transport.
    /// </summary>
    public static void ListenToWorkerCommands(this WolverineOptions opts)
    {
        opts.ConfigureRabbitMq().BindExchange(ApiCommandQueue.Name).ToQueue(ApiCommandQueue.Name);
        opts.ListenToRabbitQueue(ApiCommandQueue.Name)
            .QueueType(QueueType.quorum)
            .DeliveryLimit(10)
            // MassTransit's envelope carries no type Wolverine can read: every message here is this command.
            .UseMassTransitInterop()
            .DefaultIncomingMessage<RecordEmailVerificationRequested>()
            .UseDurableInbox()
            // In the order the worker sent them (it sends one user's in version order), so one user's requests are
            // recorded in the order of their causes. Few and small: one at a time is plenty.
            .Sequential();
    }
}
