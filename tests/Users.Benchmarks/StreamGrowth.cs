using System.Diagnostics;
using System.Text.Json.Nodes;
using Marten;
using Users.Domain;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Benchmarks;

public sealed record GrowthResult(int StreamLength, LoadResult Updates);

/// <summary>How fast the API's relay published events appended outside it; Missing counts UserProfileUpdated versions never received.</summary>
public sealed record RelayDrain(int Events, double Seconds, double EventsPerSecond, bool Complete, int Missing)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(Guid, long)> Expected { get; init; } = [];
    /// <summary>Still never received when the whole benchmark ended.</summary>
    public int? MissingAtEnd { get; set; }
}

/// <summary>
/// Cost growth: the same single-client update on streams already holding 10, 1,000 and 10,000 events.
/// The long streams are filled by appending directly to the API's schema (as the API would, with the same
/// store configuration); the API's relay then publishes them all, which is timed too.
/// </summary>
public static class StreamGrowth
{
    public static async Task<(List<GrowthResult>, RelayDrain)> RunAsync(ApiClient api, DeliveryProbe probe,
        Settings settings, CancellationToken ct)
    {
        var users = await api.RegisterManyAsync(settings.StreamLengths.Length, ct);
        using var store = DocumentStore.For(opts => opts.ConfigureUsersStore(settings.Postgres, settings.Schema));
        // Schema checks up front (idempotent: the API applied the same configuration), not inside the first
        // append: there they held reserved sequence numbers open for seconds, and the API's daemon logged a gap.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        // The worker appends EmailVerificationRequested (version 2) after registration: let it land first.
        foreach (var user in users)
            await WaitForVersionAsync(api, user, 2, TimeSpan.FromSeconds(20), ct);

        var appended = 0;
        var seedClock = Stopwatch.StartNew();
        var last = new List<(Guid, long)>();
        var expected = new List<(Guid, long)>();
        for (var i = 0; i < users.Length; i++)
        {
            var (_, version) = await api.GetAsync(users[i], ct);
            var have = version ?? 1;
            var from = have + 1;
            var target = settings.StreamLengths[i];
            while (have < target)
            {
                var batch = (int)Math.Min(1_000, target - have);
                // As the API appends: the stream's row lock first. A plain Append reserves its sequence numbers
                // before any transaction shows, and under load the API's daemon skipped such a gap for good
                // (docs/performance.md, "Findings").
                await using var session = store.LightweightSession();
                var stream = await session.Events.FetchForExclusiveWriting<User>(users[i], ct);
                stream.AppendMany(Enumerable.Range(0, batch).Select(n => (object)Change("seed" + (have + n))).ToArray());
                await session.SaveChangesAsync(ct);
                have += batch;
                appended += batch;
            }
            last.Add((users[i], have));
            for (var v = from; v <= have; v++)
                expected.Add((users[i], v));
        }
        Console.WriteLine($"  appended {appended:N0} events in {seedClock.Elapsed.TotalSeconds:F1} s; waiting for the relay to publish them");

        var drainClock = Stopwatch.StartNew();
        await probe.AwaitAsync(last, quiet: TimeSpan.FromSeconds(15), max: TimeSpan.FromMinutes(3));
        var complete = last.All(probe.Received.ContainsKey);
        var missing = expected.Count(k => !probe.Received.ContainsKey(k));
        var drainSeconds = drainClock.Elapsed.TotalSeconds;
        var drain = new RelayDrain(appended, Math.Round(drainSeconds, 2), Math.Round(appended / drainSeconds, 0), complete, missing)
        {
            Expected = expected,
        };
        if (missing > 0)
            Console.WriteLine($"  WARNING: {missing} of {expected.Count} appended events never reached the consumer");

        var results = new List<GrowthResult>();
        for (var i = 0; i < users.Length; i++)
        {
            var user = users[i];
            var load = await HttpLoad.UpdatesAsync($"stream of {settings.StreamLengths[i]:N0}", api, null, _ => user, 1, settings, ct);
            results.Add(new GrowthResult(settings.StreamLengths[i], load));
        }
        return (results, drain);
    }

    public static UserProfileUpdated Change(string to) => new(new Dictionary<string, FieldChange>
    {
        ["first_name"] = new(JsonValue.Create("before"), JsonValue.Create(to)),
    });

    private static async Task WaitForVersionAsync(ApiClient api, Guid user, long version, TimeSpan max, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < max)
        {
            if ((await api.GetAsync(user, ct)).Version >= version)
                return;
            await Task.Delay(100, ct);
        }
        Console.WriteLine($"  note: user {user} did not reach version {version} in {max.TotalSeconds} s (is the worker running?)");
    }
}
