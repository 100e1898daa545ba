using System.Diagnostics;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Users.Domain;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Benchmarks;

public sealed record RebuildResult(long Events, int Streams, double SeedSeconds, double Seconds, double EventsPerSecond,
    int Documents, double[] LoadAverage);

/// <summary>
/// Rebuild rate of UserProfileProjection with the async daemon, over streams of 10 events in a schema of its own
/// (reused by later runs when it already holds enough events).
/// </summary>
public static class RebuildRate
{
    internal const int EventsPerStream = 10;

    public static async Task<RebuildResult> RunAsync(Settings settings, CancellationToken ct)
    {
        using var store = DocumentStore.For(opts => opts.ConfigureUsersStore(settings.Postgres, settings.RebuildSchema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        long existing;
        await using (var query = store.QuerySession())
            existing = await query.Events.QueryAllRawEvents().LongCountAsync(ct);

        var seedClock = Stopwatch.StartNew();
        var streamsNeeded = (int)Math.Max(0, (settings.RebuildEvents - existing + EventsPerStream - 1) / EventsPerStream);
        const int streamsPerSession = 200;
        var sessions = (streamsNeeded + streamsPerSession - 1) / streamsPerSession;
        await Parallel.ForAsync(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (s, token) =>
            {
                await using var session = store.LightweightSession();
                var count = Math.Min(streamsPerSession, streamsNeeded - s * streamsPerSession);
                for (var i = 0; i < count; i++)
                {
                    var id = Guid.CreateVersion7();
                    session.Events.StartStream<User>(id, Stream(id));
                }
                await session.SaveChangesAsync(token);
            });
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        if (streamsNeeded > 0)
            Console.WriteLine($"  seeded {streamsNeeded * EventsPerStream:N0} events in {seedSeconds:F1} s");

        long events;
        int streams;
        await using (var query = store.QuerySession())
        {
            events = await query.Events.QueryAllRawEvents().LongCountAsync(ct);
            streams = await query.Events.QueryAllRawEvents().Where(e => e.Version == 1).CountAsync(ct);
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        var clock = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync<UserProfileProjection>(TimeSpan.FromMinutes(10), ct);
        var seconds = clock.Elapsed.TotalSeconds;
        var load = Load.Average();

        int documents;
        await using (var query = store.QuerySession())
            documents = await query.Query<UserProfile>().CountAsync(ct);
        return new RebuildResult(events, streams, Math.Round(seedSeconds, 1), Math.Round(seconds, 2),
            Math.Round(events / seconds, 0), documents, load);
    }

    internal static object[] Stream(Guid id)
    {
        var events = new object[EventsPerStream];
        events[0] = new UserRegistered(id, $"r-{id:N}@bench.test",
            new Dictionary<string, JsonNode?> { ["first_name"] = "Seed", ["country"] = "FR" }, null);
        for (var i = 1; i < EventsPerStream; i++)
            events[i] = StreamGrowth.Change("v" + i);
        return events;
    }
}
