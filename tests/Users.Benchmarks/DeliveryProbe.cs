using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Users.Benchmarks;

/// <summary>
/// A downstream consumer in the benchmark process itself, so the 2xx time and the receive time come from one
/// clock: an exclusive queue bound to the topic exchange every contract passes (not only UserProfileUpdated: a PATCH's
/// ETag can name a later version of the user, e.g. the worker's EmailVerificationRequested recorded meanwhile, and that
/// version must count as delivered), recording when each (user, version) arrived.
/// </summary>
public sealed class DeliveryProbe : IAsyncDisposable
{
    public const string Exchange = "Users.Contracts";
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    /// <summary>(user, version) → Stopwatch timestamp at receipt.</summary>
    public ConcurrentDictionary<(Guid User, long Version), long> Received { get; } = new();

    /// <summary>
    /// Every delivery in arrival order, repeats included, for duplicate and ordering checks: one dispatch
    /// thread (ConsumerDispatchConcurrency = 1) calls the handler in the queue's order.
    /// </summary>
    public ConcurrentQueue<(Guid User, long Version, long At)> Arrivals { get; } = new();

    private DeliveryProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<DeliveryProbe> StartAsync(string amqpUri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri), ConsumerDispatchConcurrency = 1 }
            .CreateConnectionAsync("users-benchmark");
        var channel = await connection.CreateChannelAsync();
        var probe = new DeliveryProbe(connection, channel);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueBindAsync(queue.QueueName, Exchange, "#");
        await channel.BasicQosAsync(0, 1000, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            if (Read(delivery.Body.Span) is { } key)
            {
                probe.Received.TryAdd(key, at);
                probe.Arrivals.Enqueue((key.User, key.Version, at));
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return probe;
    }

    // MassTransit envelope: {"message": {"user_id": …, "version": …, …}, …}.
    private static (Guid User, long Version)? Read(ReadOnlySpan<byte> body)
    {
        using var doc = JsonDocument.Parse(body.ToArray());
        if (!doc.RootElement.TryGetProperty("message", out var message))
            return null;
        return (message.GetProperty("user_id").GetGuid(), message.GetProperty("version").GetInt64());
    }

    /// <summary>Waits until every expected key arrived or nothing new came for <paramref name="quiet"/>.</summary>
    public async Task AwaitAsync(ICollection<(Guid, long)> expected, TimeSpan quiet, TimeSpan max)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        var lastCount = -1;
        var lastChange = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var missing = expected.Count(k => !Received.ContainsKey(k));
            if (missing == 0)
                return;
            if (missing != lastCount)
            {
                lastCount = missing;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > quiet)
                return;
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
