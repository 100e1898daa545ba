using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Users.Benchmarks;

/// <summary>
/// Sustained delivery: <see cref="Updates"/> is the load (its Delivery is commit → consumer over delivered updates,
/// its DeliveryMissing the acknowledged updates still not delivered when the drain ended).
/// </summary>
public sealed record SustainedResult(
    LoadResult Updates,
    int AcknowledgedWithoutVersion,
    int DeliveredAtLoadEnd,
    int DeliveredAfterDrain,
    int Duplicates,
    long OutboxBacklogAtLoadEnd,
    bool Drained,
    double DrainSeconds,
    long OutboxBacklogAfterDrain,
    int OutOfOrder,
    Dictionary<Guid, int> OutOfOrderByUser,
    double[] LoadAverageAtStart,
    double[] LoadAverageAtEnd);

/// <summary>
/// Whether every acknowledged update reaches a downstream consumer, exactly once and in order per user, while
/// updates keep coming: each client updates its own user without pause, and a probe of its own (bound before the
/// load) records each (user, version) of UserProfileUpdated. Then the outbox backlog is watched until it is empty
/// and every acknowledged update arrived. No warm-up: every acknowledged update is followed, the first ones too.
/// </summary>
public static class SustainedDelivery
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<SustainedResult> RunAsync(ApiClient api, Settings settings, CancellationToken ct)
    {
        var clients = settings.SustainedClients;
        var users = await api.RegisterManyAsync(clients, ct);
        await using var backlog = new NpgsqlConnection(settings.Postgres);
        await backlog.OpenAsync(ct);
        // Start from an empty outbox, so the backlog at the end of the load is this load's (not registration's).
        if (!await WaitForEmptyOutboxAsync(backlog, settings.Schema, TimeSpan.FromSeconds(30), ct))
            Console.WriteLine("  note: the outbox was not empty after 30 s; starting anyway");

        // Its own queue, declared and bound before the first update, so every event of the load can reach it.
        await using var probe = await DeliveryProbe.StartAsync(settings.RabbitMq);
        var loadAtStart = Load.Average();
        Console.WriteLine($"  load average at start {string.Join(' ', loadAtStart)}");

        // (user, version) → Stopwatch timestamp of the 2xx.
        var acknowledged = new ConcurrentDictionary<(Guid User, long Version), long>();
        var latencies = new List<long>[clients];
        var statuses = new ConcurrentDictionary<string, int>();
        var failed = 0;
        var withoutVersion = 0;
        var counter = 0L;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(settings.SustainedDuration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var user = users[client];
            var mine = latencies[client] = new List<long>(8192);
            while (!ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end)
                    break;
                string outcome;
                try
                {
                    var (status, version) = await api.UpdateAsync(user, "s" + Interlocked.Increment(ref counter), ct);
                    var t1 = Stopwatch.GetTimestamp();
                    outcome = ((int)status).ToString(CultureInfo.InvariantCulture);
                    if (outcome.StartsWith('2'))
                    {
                        mine.Add(t1 - t0);
                        if (version is { } v)
                            acknowledged.TryAdd((user, v), t1);
                        else
                            Interlocked.Increment(ref withoutVersion);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcome = e.GetType().Name;
                }
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (!outcome.StartsWith('2'))
                    Interlocked.Increment(ref failed);
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var loadEnd = Stopwatch.GetTimestamp();

        var backlogAtLoadEnd = await OutboxBacklogAsync(backlog, settings.Schema, ct);
        var deliveredAtLoadEnd = acknowledged.Keys.Count(probe.Received.ContainsKey);
        Console.WriteLine($"  load over: {acknowledged.Count:N0} acknowledged, {deliveredAtLoadEnd:N0} delivered, " +
                          $"outbox backlog {backlogAtLoadEnd:N0}; draining (up to {DrainLimit.TotalSeconds} s)");

        // Drained = nothing left in the outbox AND every acknowledged update at the probe.
        var missing = acknowledged.Keys.ToList();
        var backlogNow = backlogAtLoadEnd;
        var drained = false;
        using (var timer = new PeriodicTimer(PollInterval))
        {
            while (true)
            {
                missing.RemoveAll(probe.Received.ContainsKey);
                if (backlogNow == 0 && missing.Count == 0)
                {
                    drained = true;
                    break;
                }
                if (Stopwatch.GetElapsedTime(loadEnd) >= DrainLimit || !await timer.WaitForNextTickAsync(ct))
                    break;
                backlogNow = await OutboxBacklogAsync(backlog, settings.Schema, ct);
            }
        }
        var drainSeconds = Math.Round(Stopwatch.GetElapsedTime(loadEnd).TotalSeconds, 2);
        var loadAtEnd = Load.Average();

        var delays = new List<long>(acknowledged.Count);
        foreach (var (key, ackAt) in acknowledged)
        {
            if (probe.Received.TryGetValue(key, out var receivedAt))
                delays.Add(Math.Max(0, receivedAt - ackAt));
        }
        var (duplicates, outOfOrder) = CheckArrivals(probe, users);

        var ok = latencies.Sum(l => l.Count);
        var seconds = settings.SustainedDuration.TotalSeconds;
        var updates = new LoadResult("sustained, distinct users", clients, seconds, ok, failed, Math.Round(ok / seconds, 1),
            Percentiles.Of(latencies.SelectMany(l => l)), Percentiles.Of(delays), missing.Count,
            new Dictionary<string, int>(statuses), loadAtEnd);
        return new SustainedResult(updates, withoutVersion, deliveredAtLoadEnd, acknowledged.Count - missing.Count,
            duplicates, backlogAtLoadEnd, drained, drainSeconds, backlogNow, outOfOrder.Values.Sum(), outOfOrder,
            loadAtStart, loadAtEnd);
    }

    /// <summary>
    /// Duplicates: arrivals of a (user, version) already received. Out of order: the first arrival of a version
    /// after a higher version of the same user had arrived (repeats are counted as duplicates only).
    /// </summary>
    private static (int Duplicates, Dictionary<Guid, int> OutOfOrder) CheckArrivals(DeliveryProbe probe, Guid[] users)
    {
        var outOfOrder = users.ToDictionary(u => u, _ => 0);
        var highest = new Dictionary<Guid, long>();
        var seen = new HashSet<(Guid, long)>();
        var duplicates = 0;
        foreach (var (user, version, _) in probe.Arrivals)
        {
            if (!outOfOrder.ContainsKey(user))
                continue;
            if (!seen.Add((user, version)))
            {
                duplicates++;
                continue;
            }
            if (highest.TryGetValue(user, out var top) && version < top)
                outOfOrder[user]++;
            else
                highest[user] = version;
        }
        return (duplicates, outOfOrder);
    }

    private static async Task<bool> WaitForEmptyOutboxAsync(NpgsqlConnection connection, string schema, TimeSpan max,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (await OutboxBacklogAsync(connection, schema, ct) > 0)
        {
            if (clock.Elapsed >= max)
                return false;
            await Task.Delay(PollInterval, ct);
        }
        return true;
    }

    // Wolverine's outbox: envelopes committed but not yet sent to RabbitMQ (the API's /health/ready counts the same).
    private static async Task<long> OutboxBacklogAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.wolverine_outgoing_envelopes", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
