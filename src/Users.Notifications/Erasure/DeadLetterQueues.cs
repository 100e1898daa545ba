using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Users.Projections;

namespace Users.Notifications.Erasure;

/// <summary>
/// Removes an erased user's messages from the broker's dead-letter queues, where failed messages wait with their
/// whole bodies (addresses included) for an operator: this worker's <c>_error</c> and <c>_skipped</c> queues and the
/// API's Wolverine dead-letter queue (the worker's commands that the API could not handle).
/// <para>
/// Over AMQP, not the management API: only a consumer can acknowledge one message and leave the others (the
/// management API's "get" acknowledges or requeues all it fetched), and it needs no second endpoint or credentials.
/// The consumer is exclusive, so two workers never sweep one queue at once (the second's consume is refused and its
/// UserErased retried); it takes every ready message without acknowledging, acknowledges (removes) those whose body
/// names the user, and closes its channel, which puts the others back in their places. A worker killed mid-sweep
/// loses nothing: unacknowledged messages return to the queue.
/// </para>
/// </summary>
public sealed class DeadLetterQueues(IConfiguration config, ILogger<DeadLetterQueues> logger)
{
    /// <summary>Wolverine's default dead-letter queue for the API's listeners (users-api-commands).</summary>
    public const string WolverineDeadLetterQueue = "wolverine-dead-letter-queue";

    /// <summary>How long to wait for the deliveries of the messages counted ready before giving up on the rest.</summary>
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(10);

    private readonly RabbitMqNodes _broker = RabbitMqNodes.From(config.GetConnectionString("RabbitMq"), config["RabbitMq:QueueType"]);

    /// <summary>The queues swept (Erasure:DeadLetterQueues replaces the list).</summary>
    public IReadOnlyList<string> Queues { get; } = config.GetSection("Erasure:DeadLetterQueues").Get<string[]>() is { Length: > 0 } queues
        ? queues
        : [$"{Consumers.UserEventsEndpoint.Queue}_error", $"{Consumers.UserEventsEndpoint.Queue}_skipped", WolverineDeadLetterQueue];

    /// <summary>Removes every dead-lettered message whose body holds the user's id; returns how many.</summary>
    public async Task<int> RemoveMessagesOfAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = _broker.First, ClientProvidedName = "users-notifications erasure" }
            .CreateConnectionAsync(_broker.Endpoints.Select(e => new AmqpTcpEndpoint(e.Host, e.Port)).ToList(), ct);
        var removed = 0;
        foreach (var queue in Queues)
            removed += await RemoveFromAsync(connection, queue, userId, ct);
        if (removed > 0)
            logger.LogInformation("Erasure removed {Count} dead-lettered messages of user {UserId}", removed, userId);
        return removed;
    }

    private static async Task<int> RemoveFromAsync(IConnection connection, string queue, Guid userId, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        uint ready;
        try
        {
            ready = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0; // not declared: nothing was ever dead-lettered there
        }
        if (ready == 0)
            return 0;

        // Ids are written in this form in JSON bodies; the upper-case form in case a writer chose it.
        byte[][] marks = [Encoding.UTF8.GetBytes(userId.ToString()), Encoding.UTF8.GetBytes(userId.ToString().ToUpperInvariant())];
        var removed = 0;
        var seen = 0;
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        // Deliveries of one channel are handled one at a time (the client's default), so the counters need no lock.
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (marks.Any(mark => delivery.Body.Span.IndexOf(mark) >= 0))
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, ct);
                removed++;
            }
            if (++seen >= ready)
                allSeen.TrySetResult();
        };
        await channel.BasicQosAsync(0, 0, false, ct);
        await channel.BasicConsumeAsync(queue, autoAck: false, consumerTag: "", noLocal: false, exclusive: true, arguments: null, consumer, ct);
        await Task.WhenAny(allSeen.Task, Task.Delay(DeliveryWait, ct));
        // The rest were never acknowledged: closing the channel requeues them.
        await channel.CloseAsync(ct);
        return removed;
    }
}
