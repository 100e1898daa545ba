using System.Reflection;
using MassTransit;
using Users.Contracts;
using Users.Notifications.Ordering;

namespace Users.Notifications.Consumers;

/// <summary>
/// One queue bound to the exchange of every contract ("Users.Contracts:&lt;TypeName&gt;"), so that the version gate
/// sees every version of a user; partitioned by user id, so that one user's events never run concurrently while
/// different users' do.
/// </summary>
public static class UserEventsEndpoint
{
    public const string Queue = "users-notifications";

    /// <summary>Up to this many users are handled at once; users that share a partition take turns (a delay, never a reorder).</summary>
    private const int Partitions = 16;

    /// <summary>Every published contract, found by reflection so that a new one is consumed (and gated) without a list to keep.</summary>
    public static readonly Type[] ContractTypes = typeof(UserEvent).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(UserEvent).Namespace && t.IsSubclassOf(typeof(UserEvent)) && !t.IsAbstract)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static void AddUserEventConsumers(this IBusRegistrationConfigurator bus)
    {
        foreach (var contract in ContractTypes)
            bus.AddConsumer(ConsumerOf(contract));
    }

    public static void ConfigureUserEvents(this IRabbitMqReceiveEndpointConfigurator endpoint, IBusRegistrationContext context,
        bool quorumQueue)
    {
        endpoint.PrefetchCount = 256;
        // Replicated on every node of a cluster, so the queue outlives the node it was declared on.
        if (quorumQueue)
            endpoint.SetQuorumQueue();
        // The retry sits outside the partitions (those are in each consumer's own pipe, deeper), so a retrying
        // message sleeps without holding its user's turn.
        // Transient faults (SMTP or PostgreSQL down), with growing pauses; after the last try the message moves
        // to the endpoint's _error queue, never dropped. No delayed redelivery on top: MassTransit needs
        // RabbitMQ's delayed-exchange plugin for it, not installed here.
        endpoint.UseMessageRetry(r =>
        {
            r.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5),
                TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        });
        // One partitioner for every type: a user's UserRegistered and EmailChanged never run side by side.
        var partitioner = endpoint.CreatePartitioner(Partitions);
        foreach (var contract in ContractTypes)
            ConfigureConsumer.MakeGenericMethod(contract).Invoke(null, [endpoint, context, partitioner]);
    }

    private static Type ConsumerOf(Type contract) => typeof(UserEventConsumer<>).MakeGenericType(contract);

    private static readonly MethodInfo ConfigureConsumer = typeof(UserEventsEndpoint)
        .GetMethod(nameof(ConfigurePartitionedConsumer), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void ConfigurePartitionedConsumer<T>(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context,
        IPartitioner partitioner) where T : UserEvent =>
        endpoint.ConfigureConsumer<UserEventConsumer<T>>(context, consumer =>
            consumer.Message<T>(message => message.UsePartitioner(partitioner, c => c.Message.UserId)));
}
