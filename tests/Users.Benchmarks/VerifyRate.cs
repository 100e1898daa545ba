using System.Diagnostics;
using Marten;
using Npgsql;
using Users.Api.Auditing;
using Users.Domain;
using Users.Projections;

namespace Users.Benchmarks;

public sealed record VerifyResult(long Events, long Streams, int Checkpoints, bool Verified, double SeedSeconds, double Seconds,
    double EventsPerSecond, double[] LoadAverage);

/// <summary>
/// Speed of <c>audit verify</c> (ChainVerification.VerifyAsync, what the command runs once its host is built) over
/// streams of 10 events in a schema of its own, chained by the trigger as they are appended and covered by one
/// signed checkpoint. The schema is reused by later runs when it already holds enough events.
/// </summary>
public static class VerifyRate
{
    public static async Task<VerifyResult> RunAsync(Settings settings, CancellationToken ct)
    {
        var schema = settings.VerifySchema;
        using var store = DocumentStore.For(opts => opts.ConfigureUsersStore(settings.Postgres, schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = new NpgsqlConnection(settings.Postgres);
        await connection.OpenAsync(ct);
        await ChainSchema.InstallAsync(connection, schema, ct);
        await ChainSchema.BackfillAsync(connection, schema, ct);

        long existing;
        await using (var query = store.QuerySession())
            existing = await query.Events.QueryAllRawEvents().LongCountAsync(ct);
        var seedClock = Stopwatch.StartNew();
        var streamsNeeded = (int)Math.Max(0, (settings.VerifyEvents - existing + RebuildRate.EventsPerStream - 1) / RebuildRate.EventsPerStream);
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
                    session.Events.StartStream<User>(id, RebuildRate.Stream(id));
                }
                await session.SaveChangesAsync(token);
            });
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        if (streamsNeeded > 0)
            Console.WriteLine($"  seeded {streamsNeeded * RebuildRate.EventsPerStream:N0} events (chained by the trigger) in {seedSeconds:F1} s");

        // A key of this run: earlier runs' checkpoints go, one checkpoint of every head is signed now.
        var signer = CheckpointSigner.Generate();
        await using (var clear = new NpgsqlCommand(
            $"delete from {schema}.audit_checkpoint; delete from {schema}.audit_checkpoint_head; delete from {schema}.audit_checkpointed_head", connection))
            await clear.ExecuteNonQueryAsync(ct);
        await CheckpointWriter.TakeAsync(connection, schema, signer, TimeProvider.System, TimeSpan.Zero, ct);

        var report = await ChainVerification.VerifyAsync(connection, schema, signer.PublicKey, null, ct);
        foreach (var fault in report.Breaks.Take(5))
            Console.WriteLine($"  {fault}");
        var seconds = report.Elapsed.TotalSeconds;
        return new VerifyResult(report.Events, report.Streams, report.Checkpoints, report.Verified, Math.Round(seedSeconds, 1),
            Math.Round(seconds, 2), Math.Round(report.Events / seconds, 0), Load.Average());
    }
}
