using System.Globalization;

namespace Users.Benchmarks;

/// <summary>What to measure and where; every value has a default so `scripts/bench.sh` needs no arguments.</summary>
public sealed record Settings
{
    public Uri Api { get; init; } = new("http://127.0.0.1:5090");
    /// <summary>Every API node (--api takes a comma-separated list): requests go to them in turn, as a load balancer would.</summary>
    public Uri[] ApiNodes { get; init; } = [new("http://127.0.0.1:5090")];
    public string Postgres { get; init; } = "";
    /// <summary>The bench virtual host's AMQP URI, where the API publishes integration events.</summary>
    public string RabbitMq { get; init; } = "";
    /// <summary>The Marten schema the API and the worker run on.</summary>
    public string Schema { get; init; } = "bench";
    /// <summary>A schema of its own for the rebuild, so its 200k events never pass through the API's relay.</summary>
    public string RebuildSchema { get; init; } = "bench_rebuild";
    public string CeilingSchema { get; init; } = "bench_ceiling";
    /// <summary>A schema of its own for the chain verification's events.</summary>
    public string VerifySchema { get; init; } = "bench_verify";
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public int[] Clients { get; init; } = [1, 16, 32, 64];
    /// <summary>Sustained delivery: how long its clients update without pause (no warm-up), and how many.</summary>
    public TimeSpan SustainedDuration { get; init; } = TimeSpan.FromSeconds(60);
    public int SustainedClients { get; init; } = 32;
    public int RebuildEvents { get; init; } = 200_000;
    public int VerifyEvents { get; init; } = 200_000;
    public int[] StreamLengths { get; init; } = [10, 1_000, 10_000];
    public string PgBench { get; init; } = "/usr/lib/postgresql/15/bin/pgbench";
    public string Output { get; init; } = "";
    /// <summary>When set, requests carry an HS256 admin token signed with it (for when the API requires one).</summary>
    public string? SigningKey { get; init; }
    public string? Label { get; init; }
    /// <summary>Phases to run (updates, e2e is part of updates, sustained, reads, growth, rebuild, ceiling, verify, webhooks); all by default.</summary>
    public HashSet<string> Only { get; init; } = [];
    /// <summary>The webhook phase: a run per count of registered endpoints (0 is the baseline), with this many clients.</summary>
    public int[] WebhookEndpoints { get; init; } = [0, 1, 10];
    public int WebhookClients { get; init; } = 16;

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            values[args[i][2..]] = args[++i];
        }

        string? Get(string name, string? env = null) =>
            values.TryGetValue(name, out var v) ? v : env is null ? null : Environment.GetEnvironmentVariable(env);
        TimeSpan Seconds(string s) => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture));
        int[] Ints(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(x => int.Parse(x.Replace("_", ""), CultureInfo.InvariantCulture)).ToArray();

        var defaults = new Settings();
        var settings = defaults with
        {
            ApiNodes = Get("api", "BENCH_API") is { } api
                ? api.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)).ToArray()
                : defaults.ApiNodes,
            Postgres = Get("postgres", "ConnectionStrings__Postgres")
                ?? throw new ArgumentException("--postgres or ConnectionStrings__Postgres is required."),
            RabbitMq = Get("rabbitmq", "ConnectionStrings__RabbitMq")
                ?? throw new ArgumentException("--rabbitmq or ConnectionStrings__RabbitMq is required."),
            Schema = Get("schema", "Marten__Schema") ?? defaults.Schema,
            Duration = Get("duration") is { } d ? Seconds(d) : defaults.Duration,
            Warmup = Get("warmup") is { } w ? Seconds(w) : defaults.Warmup,
            Clients = Get("clients") is { } c ? Ints(c) : defaults.Clients,
            SustainedDuration = Get("sustained-seconds") is { } ss ? Seconds(ss) : defaults.SustainedDuration,
            SustainedClients = Get("sustained-clients") is { } sc ? Ints(sc)[0] : defaults.SustainedClients,
            RebuildEvents = Get("rebuild-events") is { } r ? Ints(r)[0] : defaults.RebuildEvents,
            VerifyEvents = Get("verify-events") is { } ve ? Ints(ve)[0] : defaults.VerifyEvents,
            StreamLengths = Get("stream-lengths") is { } l ? Ints(l) : defaults.StreamLengths,
            PgBench = Get("pgbench") ?? defaults.PgBench,
            Output = Get("out") ?? "",
            SigningKey = Get("signing-key", "Auth__SigningKey"),
            Label = Get("label"),
            WebhookEndpoints = Get("webhook-endpoints") is { } we ? Ints(we) : defaults.WebhookEndpoints,
            WebhookClients = Get("webhook-clients") is { } wc ? Ints(wc)[0] : defaults.WebhookClients,
            Only = Get("only") is { } o ? o.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase) : [],
        };
        return settings with { Api = settings.ApiNodes[0] };
    }
}
