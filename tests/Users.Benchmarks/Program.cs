using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Users.Benchmarks;

// Measures the running service (API and worker started by scripts/bench.sh) and prints a table; writes JSON.
// It never fails on a number: a benchmark reports, it does not judge CI.
var settings = Settings.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

var report = new Report
{
    StartedAt = DateTimeOffset.UtcNow,
    Label = settings.Label,
    ApiNodes = settings.ApiNodes.Length,
    Commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
    ProcessorCount = Environment.ProcessorCount,
    DurationSeconds = settings.Duration.TotalSeconds,
    WarmupSeconds = settings.Warmup.TotalSeconds,
    LoadAverageAtStart = Load.Average(),
    Setup = new[] { "BENCH_API_DLL", "BENCH_WORKER_DLL", "BENCH_API_ENV", "BENCH_WORKER_ENV" }
        .ToDictionary(k => k, Environment.GetEnvironmentVariable),
};
Console.WriteLine($"Users benchmark: {string.Join(", ", settings.ApiNodes.Select(n => n.ToString()))}, schema {settings.Schema}, {settings.Duration.TotalSeconds} s per measurement " +
                  $"after {settings.Warmup.TotalSeconds} s warm-up; load average {string.Join(' ', report.LoadAverageAtStart)}");

using var api = new ApiClient(settings);
await using var probe = await DeliveryProbe.StartAsync(settings.RabbitMq);

if (settings.Runs("growth"))
{
    Console.WriteLine("cost growth: update latency by stream length");
    var (growth, drain) = await StreamGrowth.RunAsync(api, probe, settings, ct);
    report.Growth = growth;
    report.RelayDrain = drain;
}

if (settings.Runs("updates"))
{
    foreach (var clients in settings.Clients)
    {
        Console.WriteLine($"updates, {clients} client(s)");
        var users = await api.RegisterManyAsync(clients, ct);
        report.Updates.Add(await HttpLoad.UpdatesAsync("update, distinct users", api, probe, c => users[c], clients, settings, ct));
        var hot = await api.RegisterAsync(ct);
        report.Updates.Add(await HttpLoad.UpdatesAsync("update, one hot user", api, probe, _ => hot, clients, settings, ct));
    }
}

if (report.Updates.Count > 0)
{
    var all = report.Updates.SelectMany(u => u.Committed?.Keys ?? Enumerable.Empty<(Guid, long)>()).ToArray();
    await probe.AwaitAsync(all, quiet: TimeSpan.FromSeconds(10), max: TimeSpan.FromSeconds(60));
    var withDelivery = report.Updates.Select(u => HttpLoad.WithDelivery(u, probe)).ToList();
    report.Updates.Clear();
    report.Updates.AddRange(withDelivery);
}

// After the updates' events drained, so their backlog does not count against this one.
if (settings.Runs("sustained"))
{
    Console.WriteLine($"sustained delivery, {settings.SustainedClients} client(s) for {settings.SustainedDuration.TotalSeconds} s");
    report.Sustained = await SustainedDelivery.RunAsync(api, settings, ct);
}

if (settings.Runs("webhooks"))
    report.Webhooks = await WebhookDelivery.RunAsync(api, settings, ct);

if (settings.Runs("reads"))
{
    var users = await api.RegisterManyAsync(16, ct);
    foreach (var clients in new[] { 1, 16 })
    {
        Console.WriteLine($"reads, {clients} client(s)");
        report.Reads.Add(await HttpLoad.ReadsAsync(api, c => users[c % users.Length], clients, settings, ct));
    }
}

if (settings.Runs("ceiling"))
{
    Console.WriteLine("ceiling: pgbench");
    report.Ceiling = await Ceiling.RunAsync(settings, ct);
}

if (settings.Runs("rebuild"))
{
    Console.WriteLine($"rebuild of UserProfileProjection over ≥ {settings.RebuildEvents:N0} events");
    report.Rebuild = await RebuildRate.RunAsync(settings, ct);
}

if (settings.Runs("verify"))
{
    Console.WriteLine($"audit verify over ≥ {settings.VerifyEvents:N0} events");
    report.Verify = await VerifyRate.RunAsync(settings, ct);
}

if (report.RelayDrain is { } drained)
    drained.MissingAtEnd = drained.Expected.Count(k => !probe.Received.ContainsKey(k));

report.LoadAverageAtEnd = Load.Average();
report.FinishedAt = DateTimeOffset.UtcNow;
report.Print(Console.Out);

if (settings.Output is { Length: > 0 } output)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    }), ct);
    Console.WriteLine($"\nwritten: {output}");
}

namespace Users.Benchmarks
{
    public sealed class Report
    {
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset FinishedAt { get; set; }
        public string? Label { get; init; }
        /// <summary>How many API processes took the load (scripts/bench.sh --api-nodes).</summary>
        public int ApiNodes { get; init; } = 1;
        public string? Commit { get; init; }
        public int ProcessorCount { get; init; }
        public double DurationSeconds { get; init; }
        public double WarmupSeconds { get; init; }
        /// <summary>Which builds and extra settings the API and the worker ran with (scripts/bench.sh).</summary>
        public Dictionary<string, string?> Setup { get; init; } = [];
        public double[] LoadAverageAtStart { get; init; } = [];
        public double[] LoadAverageAtEnd { get; set; } = [];
        public List<LoadResult> Updates { get; } = [];
        public List<LoadResult> Reads { get; } = [];
        public List<GrowthResult> Growth { get; set; } = [];
        public RelayDrain? RelayDrain { get; set; }
        public SustainedResult? Sustained { get; set; }
        public List<CeilingResult> Ceiling { get; set; } = [];
        public RebuildResult? Rebuild { get; set; }
        public VerifyResult? Verify { get; set; }
        public List<WebhookResult> Webhooks { get; set; } = [];
        public List<Verdict> Targets => Verdicts().ToList();

        public sealed record Verdict(string Target, string Measured, bool? Met);

        private CeilingResult? CeilingFor(LoadResult r) => Ceiling.FirstOrDefault(c => c.Clients == r.Clients &&
            c.Scenario.EndsWith(r.Scenario.Contains("hot") ? "hot stream" : "distinct streams", StringComparison.Ordinal));

        private IEnumerable<Verdict> Verdicts()
        {
            static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
            var at16 = Updates.FirstOrDefault(u => u.Clients == 16 && u.Scenario.Contains("distinct"));
            if (at16 is not null && CeilingFor(at16) is { } c16)
            {
                var ratio = at16.PerSecond / c16.Tps;
                yield return new("updates ≥ 25% of the pgbench ceiling at 16 clients",
                    $"{F(at16.PerSecond)}/s vs {F(c16.Tps)} tps = {ratio:P0}", ratio >= 0.25);
            }
            var at32 = Updates.FirstOrDefault(u => u.Clients == 32 && u.Scenario.Contains("distinct"));
            if (at32 is not null)
            {
                yield return new("update p99 ≤ 50 ms at 32 clients", $"{F(at32.Latency.P99)} ms", at32.Latency.P99 <= 50);
                if (at32.Delivery is { Count: > 0 } d)
                    yield return new("commit → consumer p99 ≤ 250 ms at 32 clients",
                        $"{F(d.P99)} ms ({at32.DeliveryMissing} not received)", d.P99 <= 250 && at32.DeliveryMissing == 0);
            }
            if (Rebuild is not null)
                yield return new("rebuild ≥ 20,000 events/s", $"{F(Rebuild.EventsPerSecond)} events/s", Rebuild.EventsPerSecond >= 20_000);
            if (Growth.Count >= 2)
            {
                var shortest = Growth.MinBy(g => g.StreamLength)!;
                var longest = Growth.MaxBy(g => g.StreamLength)!;
                var ratio = longest.Updates.Latency.P50 / shortest.Updates.Latency.P50;
                yield return new($"update latency at {longest.StreamLength:N0} events within 20% of {shortest.StreamLength:N0}",
                    $"p50 {F(longest.Updates.Latency.P50)} vs {F(shortest.Updates.Latency.P50)} ms (×{ratio:0.00})", ratio <= 1.2);
            }
        }

        public void Print(TextWriter o)
        {
            static string F(double v, string format = "0.0") =>
                double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
            o.WriteLine();
            o.WriteLine($"{"scenario",-28} {"clients",7} {"ops/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",6} {"e2e p50",8} {"e2e p99",8} {"ceiling",9} {"ratio",6}");
            IEnumerable<LoadResult> sustained = Sustained is { } sus ? [sus.Updates] : [];
            foreach (var r in Updates.Concat(sustained).Concat(Reads).Concat(Growth.Select(g => g.Updates)))
            {
                var ceiling = r.Scenario.StartsWith("update", StringComparison.Ordinal) ? CeilingFor(r) : null;
                o.WriteLine($"{r.Scenario,-28} {r.Clients,7} {F(r.PerSecond),9} {F(r.Latency.P50, "0.00"),8} {F(r.Latency.P95, "0.00"),8} " +
                            $"{F(r.Latency.P99, "0.00"),8} {F(r.Latency.Max, "0.00"),8} {r.Failed,6} " +
                            $"{F(r.Delivery?.P50 ?? double.NaN),8} {F(r.Delivery?.P99 ?? double.NaN),8} " +
                            $"{F(ceiling?.Tps ?? double.NaN),9} {(ceiling is null ? "-" : (r.PerSecond / ceiling.Tps).ToString("P0", CultureInfo.InvariantCulture)),6}");
            }
            foreach (var c in Ceiling)
                o.WriteLine($"{c.Scenario,-28} {c.Clients,7} {F(c.Tps),9} {"avg " + F(c.LatencyAverageMs, "0.00"),8}");
            if (RelayDrain is { } d)
                o.WriteLine($"relay drain: {d.Events:N0} events published in {d.Seconds} s = {d.EventsPerSecond:N0}/s{(d.Complete ? "" : $" (INCOMPLETE: {d.Missing} not received then, {d.MissingAtEnd} by the end of the run)")}");
            if (Sustained is { } s)
            {
                var u = s.Updates;
                o.WriteLine($"sustained delivery: {u.Clients} clients for {u.Seconds} s; load average start {string.Join(' ', s.LoadAverageAtStart)}, end {string.Join(' ', s.LoadAverageAtEnd)}");
                o.WriteLine($"  updates acknowledged {u.Ok:N0} ({F(u.PerSecond)}/s, p50 {F(u.Latency.P50, "0.00")} ms, p99 {F(u.Latency.P99, "0.00")} ms, {u.Failed} errors" +
                            $"{(s.AcknowledgedWithoutVersion > 0 ? $", {s.AcknowledgedWithoutVersion} without a version: not followed" : "")})");
                o.WriteLine($"  delivered {s.DeliveredAtLoadEnd:N0} at the end of the load, {s.DeliveredAfterDrain:N0} after draining; " +
                            $"{s.Duplicates} duplicates; {s.OutOfOrder} out-of-order arrivals ({s.OutOfOrderByUser.Count(x => x.Value > 0)} users)");
                o.WriteLine($"  commit → consumer p50 {F(u.Delivery?.P50 ?? double.NaN, "0.00")} ms, p99 {F(u.Delivery?.P99 ?? double.NaN, "0.00")} ms, " +
                            $"max {F(u.Delivery?.Max ?? double.NaN, "0.00")} ms");
                o.WriteLine($"  outbox backlog at the end of the load {s.OutboxBacklogAtLoadEnd:N0}; " + (s.Drained
                    ? $"drained {F(s.DrainSeconds, "0.0")} s after the load ended"
                    : $"NOT DRAINED after {F(s.DrainSeconds, "0")} s: {u.DeliveryMissing:N0} acknowledged updates not delivered, backlog {s.OutboxBacklogAfterDrain:N0}"));
            }
            foreach (var w in Webhooks)
                o.WriteLine($"webhooks, {w.Endpoints,2} endpoint(s): updates {F(w.Updates.PerSecond)}/s at {w.Updates.Clients} clients " +
                            $"(p50 {F(w.Updates.Latency.P50, "0.00")} ms, p99 {F(w.Updates.Latency.P99, "0.00")} ms); " +
                            (w.Expected == 0 ? "no deliveries" : $"commit → receipt p50 {F(w.Delivery.P50, "0.00")} ms, p99 {F(w.Delivery.P99, "0.00")} ms " +
                            $"over {w.Expected:N0} deliveries, {w.Missing} missing, {w.Duplicates} duplicates"));
            if (Rebuild is { } b)
                o.WriteLine($"rebuild: {b.Events:N0} events ({b.Streams:N0} streams) in {b.Seconds} s = {b.EventsPerSecond:N0} events/s; {b.Documents:N0} documents");
            if (Verify is { } chain)
                o.WriteLine($"audit verify: {chain.Events:N0} events ({chain.Streams:N0} streams, {chain.Checkpoints} checkpoint) in {chain.Seconds} s = {chain.EventsPerSecond:N0} events/s; " +
                            (chain.Verified ? "verified" : "BREAKS FOUND"));
            o.WriteLine($"load average: start {string.Join(' ', LoadAverageAtStart)}, end {string.Join(' ', LoadAverageAtEnd)}");
            o.WriteLine();
            foreach (var v in Targets)
                o.WriteLine($"[{(v.Met is true ? "met" : "MISSED")}] {v.Target}: {v.Measured}");
        }
    }
}
