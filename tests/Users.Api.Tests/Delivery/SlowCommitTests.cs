using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

/// <summary>
/// One append commits 30 s late (a test-only trigger sleeps inside its transaction, after its sequence number
/// was taken) while 16 clients keep updating other users. Delivery must neither wait for it nor pass over it.
/// </summary>
/// <summary>The whole stack, with a PostgreSQL command timeout above the held commit (Npgsql's default is 30 s).</summary>
public sealed class SlowCommitStack : UsersStack
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = PostgresConnection + ";Command Timeout=120",
    };
}

public sealed class SlowCommitTests(SlowCommitStack stack, ITestOutputHelper output) : IClassFixture<SlowCommitStack>
{
    private const int Clients = 16;
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_commit_held_for_30_seconds_is_delivered_and_holds_back_no_one_else()
    {
        var marker = "slow-" + Guid.NewGuid().ToString("N")[..10];
        await using var subscriber = await RabbitSubscriber.BindAsync(stack.RabbitMqUri, "UserProfileUpdated");
        var slowUser = await stack.RegisterSettledAsync("slow");
        var others = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => stack.RegisterSettledAsync($"busy{i}")));
        await InstallSlowTriggerAsync(marker);
        try
        {
            // (user, version) → when the API acknowledged it.
            var acknowledged = new ConcurrentDictionary<(Guid, long), long>();
            using var stop = new CancellationTokenSource();
            var load = others.Select(user => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var response = await stack.Api.PatchJsonAsync($"/api/v1/users/{user}", new { first_name = $"Busy{n}" });
                    if (response.StatusCode == HttpStatusCode.OK)
                        acknowledged[(user, long.Parse(response.Headers.ETag!.Tag.Trim('"')))] = Stopwatch.GetTimestamp();
                }
            })).ToList();

            var slowStarted = Stopwatch.GetTimestamp();
            var slow = await stack.Api.PatchJsonAsync($"/api/v1/users/{slowUser}", new { first_name = marker });
            var slowAcknowledged = Stopwatch.GetTimestamp();
            slow.StatusCode.ShouldBe(HttpStatusCode.OK);
            var slowVersion = long.Parse(slow.Headers.ETag!.Tag.Trim('"'));
            Stopwatch.GetElapsedTime(slowStarted, slowAcknowledged).ShouldBeGreaterThan(Delay - TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await Task.WhenAll(load);

            // Every acknowledged update reaches the independent subscriber, the slow one included.
            var expected = acknowledged.Keys.Append((slowUser, slowVersion)).ToHashSet();
            var arrivals = await Eventually.Until(() => Task.FromResult(subscriber.FirstArrivals()),
                a => expected.All(a.ContainsKey), timeout: TimeSpan.FromSeconds(60), what: "every acknowledged update on RabbitMQ");

            // The others kept flowing while the slow commit was pending: delivered before it was acknowledged.
            var duringSlow = acknowledged.Where(a => a.Value < slowAcknowledged - Stopwatch.Frequency).ToList();
            var deliveredDuringSlow = duringSlow.Count(a => arrivals[a.Key] < slowAcknowledged);
            var latencies = acknowledged.Select(a => Math.Max(0, Stopwatch.GetElapsedTime(a.Value, arrivals[a.Key]).TotalMilliseconds))
                .Order().ToList();
            output.WriteLine($"slow commit acknowledged after {Stopwatch.GetElapsedTime(slowStarted, slowAcknowledged).TotalSeconds:F1} s, " +
                             $"delivered {Stopwatch.GetElapsedTime(slowAcknowledged, arrivals[(slowUser, slowVersion)]).TotalMilliseconds:F0} ms after; " +
                             $"others: {acknowledged.Count} acknowledged, {acknowledged.Keys.Count(arrivals.ContainsKey)} delivered, " +
                             $"{deliveredDuringSlow}/{duringSlow.Count} of those acknowledged while it was pending delivered before it committed; " +
                             $"commit → subscriber p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms; " +
                             $"duplicates {subscriber.Arrivals.Count - subscriber.Arrivals.Select(a => a.Message["event_id"]!.GetValue<Guid>()).Distinct().Count()}");
            duringSlow.Count.ShouldBeGreaterThan(Clients);
            deliveredDuringSlow.ShouldBe(duringSlow.Count);
        }
        finally
        {
            await DropSlowTriggerAsync();
        }
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // Sleeps inside the append's transaction, after mt_events' row (and its sequence number) exists.
    private async Task InstallSlowTriggerAsync(string marker) => await ExecuteAsync($"""
        create or replace function {stack.Schema}.test_slow_commit() returns trigger language plpgsql as $$
        begin
          if new.data::text like '%{marker}%' then perform pg_sleep({Delay.TotalSeconds}); end if;
          return new;
        end $$;
        -- On the read model, written in the append's transaction: the events themselves hold the marker sealed.
        create trigger test_slow_commit after insert or update on {stack.Schema}.mt_doc_userprofile
          for each row execute function {stack.Schema}.test_slow_commit();
        """);

    private async Task DropSlowTriggerAsync() =>
        await ExecuteAsync($"drop trigger if exists test_slow_commit on {stack.Schema}.mt_doc_userprofile; drop function if exists {stack.Schema}.test_slow_commit();");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
