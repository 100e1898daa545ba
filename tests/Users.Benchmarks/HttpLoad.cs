using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Users.Benchmarks;

public sealed record LoadResult(
    string Scenario, int Clients, double Seconds, int Ok, int Failed, double PerSecond, Percentiles Latency,
    Percentiles? Delivery, int DeliveryMissing, Dictionary<string, int> Statuses, double[] LoadAverage)
{
    /// <summary>(user, version) → Stopwatch timestamp of the 2xx; not reported.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ConcurrentDictionary<(Guid, long), long>? Committed { get; init; }
}

/// <summary>
/// Closed-loop load: each client sends its next request when the previous answered, for a warm-up and then a
/// measured window. Only requests started inside the window count.
/// </summary>
public static class HttpLoad
{
    public static async Task<LoadResult> UpdatesAsync(string scenario, ApiClient api, DeliveryProbe? probe,
        Func<int, Guid> userOf, int clients, Settings settings, CancellationToken ct)
    {
        // (user, version) → Stopwatch timestamp of the 2xx, for the commit → consumer latency.
        var committed = new ConcurrentDictionary<(Guid, long), long>();
        var counter = 0L;
        var result = await RunAsync(scenario, clients, settings, async (client, recording) =>
        {
            var user = userOf(client);
            var (status, version) = await api.UpdateAsync(user, "n" + Interlocked.Increment(ref counter), ct);
            if (recording && version is { } v)
                committed.TryAdd((user, v), Stopwatch.GetTimestamp());
            return status;
        }, ct);
        if (probe is null)
            return result with { Committed = committed };

        // Let this run's events drain before the next run starts; late ones still count (see WithDelivery).
        await probe.AwaitAsync(committed.Keys.ToArray(), quiet: TimeSpan.FromSeconds(5), max: TimeSpan.FromSeconds(60));
        return result with { Committed = committed };
    }

    /// <summary>Commit → consumer latency per update, once every run is over: late deliveries count, lost ones are counted.</summary>
    public static LoadResult WithDelivery(LoadResult result, DeliveryProbe probe)
    {
        if (result.Committed is not { } committed)
            return result;
        var delays = new List<long>(committed.Count);
        var missing = 0;
        foreach (var (key, sentAt) in committed)
        {
            if (probe.Received.TryGetValue(key, out var receivedAt))
                delays.Add(Math.Max(0, receivedAt - sentAt));
            else
                missing++;
        }
        return result with { Delivery = Percentiles.Of(delays), DeliveryMissing = missing };
    }

    public static Task<LoadResult> ReadsAsync(ApiClient api, Func<int, Guid> userOf, int clients, Settings settings,
        CancellationToken ct) =>
        RunAsync("read (GET)", clients, settings, async (client, _) => (await api.GetAsync(userOf(client), ct)).Status, ct);

    private static async Task<LoadResult> RunAsync(string scenario, int clients, Settings settings,
        Func<int, bool, Task<HttpStatusCode>> send, CancellationToken ct)
    {
        var freq = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(settings.Warmup.TotalSeconds * freq);
        var measureTo = measureFrom + (long)(settings.Duration.TotalSeconds * freq);
        var latencies = new List<long>[clients];
        var statuses = new ConcurrentDictionary<string, int>();
        var failed = 0;

        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<long>(4096);
            while (!ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= measureTo)
                    break;
                var recording = t0 >= measureFrom;
                string outcome;
                try
                {
                    var status = await send(client, recording);
                    outcome = ((int)status).ToString();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcome = e.GetType().Name;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (!recording)
                    continue;
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (outcome.StartsWith('2'))
                    mine.Add(t1 - t0);
                else
                    Interlocked.Increment(ref failed);
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);

        var ok = latencies.Sum(l => l.Count);
        var seconds = settings.Duration.TotalSeconds;
        return new LoadResult(scenario, clients, seconds, ok, failed, Math.Round(ok / seconds, 1),
            Percentiles.Of(latencies.SelectMany(l => l)), null, 0, new Dictionary<string, int>(statuses), Load.Average());
    }
}
