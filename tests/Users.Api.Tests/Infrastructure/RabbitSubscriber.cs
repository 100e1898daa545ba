using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// An independent downstream subscriber written with plain RabbitMQ.Client: an exclusive queue bound to
/// the documented exchanges, keeping every MassTransit envelope it receives.
/// </summary>
public sealed class RabbitSubscriber : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    /// <summary>Each delivery: the contract's type name (from the envelope's messageType) and the envelope.</summary>
    public ConcurrentQueue<(string Type, JsonObject Envelope)> Received { get; } = new();
    /// <summary>Each delivery's message body with its arrival time (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public ConcurrentQueue<(JsonObject Message, long ArrivedAt)> Arrivals { get; } = new();

    private RabbitSubscriber(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RabbitSubscriber> BindAsync(string amqpUri, params string[] contractNames)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var subscriber = new RabbitSubscriber(connection, channel);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        foreach (var name in contractNames)
        {
            var exchange = $"Users.Contracts:{name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue.QueueName, exchange, "");
        }
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // Published to the "Users.Contracts" topic exchange and routed on through the type's exchange:
            // the envelope's messageType ("urn:message:Users.Contracts:EmailChanged") names the contract.
            var envelope = JsonNode.Parse(delivery.Body.Span)!.AsObject();
            var urn = envelope["messageType"]![0]!.GetValue<string>();
            subscriber.Received.Enqueue((urn[(urn.LastIndexOf(':') + 1)..], envelope));
            subscriber.Arrivals.Enqueue((envelope["message"]!.AsObject(), System.Diagnostics.Stopwatch.GetTimestamp()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return subscriber;
    }

    /// <summary>Bound to the exchange of every published contract.</summary>
    public static Task<RabbitSubscriber> BindAllAsync(string amqpUri) =>
        BindAsync(amqpUri, Projections.IntegrationEvents.ContractTypes.Select(t => t.Name).ToArray());

    /// <summary>Every received message of the given types (all types when none given), in arrival order, duplicates included.</summary>
    public IReadOnlyList<(string Type, JsonObject Message)> Messages(params string[] types) => Received
        .Select(r => (r.Type, Message: r.Envelope["message"]!.AsObject()))
        .Where(r => types.Length == 0 || types.Contains(r.Type))
        .ToList();

    /// <summary>Publishes a raw body to a contract's exchange as MassTransit would, e.g. to redeliver or to poison.</summary>
    public static Task PublishRawAsync(string amqpUri, string contractName, byte[] body) =>
        PublishToExchangeAsync(amqpUri, $"Users.Contracts:{contractName}", body);

    /// <summary>
    /// Publishes a raw MassTransit-envelope body to any exchange (confirmed by the broker). MassTransit puts the
    /// envelope's messageId in the AMQP message-id too; pass it to do the same (Wolverine's inbox keys on it).
    /// </summary>
    public static async Task PublishToExchangeAsync(string amqpUri, string exchange, byte[] body, Guid? messageId = null)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = (messageId ?? Guid.NewGuid()).ToString(),
        };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, body);
    }

    /// <summary>The envelopes' <c>message</c> bodies for one user, in arrival order.</summary>
    public IReadOnlyList<(string Type, JsonObject Message)> For(Guid userId) => Received
        .Select(r => (r.Type, Message: r.Envelope["message"]!.AsObject()))
        .Where(r => r.Message["user_id"]?.GetValue<Guid>() == userId)
        .ToList();

    /// <summary>When each (user, version) first arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public Dictionary<(Guid User, long Version), long> FirstArrivals()
    {
        var first = new Dictionary<(Guid, long), long>();
        foreach (var (message, at) in Arrivals)
            first.TryAdd((message["user_id"]!.GetValue<Guid>(), message["version"]!.GetValue<long>()), at);
        return first;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
