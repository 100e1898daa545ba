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
    public ConcurrentQueue<(string Exchange, JsonObject Envelope)> Received { get; } = new();

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
            subscriber.Received.Enqueue((delivery.Exchange, JsonNode.Parse(delivery.Body.Span)!.AsObject()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return subscriber;
    }

    /// <summary>The envelopes' <c>message</c> bodies for one user, in arrival order.</summary>
    public IReadOnlyList<(string Type, JsonObject Message)> For(Guid userId) => Received
        .Select(r => (Type: r.Exchange["Users.Contracts:".Length..], Message: r.Envelope["message"]!.AsObject()))
        .Where(r => r.Message["user_id"]?.GetValue<Guid>() == userId)
        .ToList();

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
