using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

/// <summary>
/// Two API nodes on one schema and vhost: the stack's in-process API (with the worker and the SMTP sink) and a
/// child process that takes the load and reaches PostgreSQL and RabbitMQ through <see cref="TcpFaultProxy"/>s.
/// Outages are network cuts for that node (the shared services keep running for the other tests); a crash
/// is SIGKILL of the child, whose outbox the in-process node takes over.
/// </summary>
public sealed class FaultStack : UsersStack
{
    public TcpFaultProxy Broker { get; private set; } = null!;
    public TcpFaultProxy Postgres { get; private set; } = null!;

    // Take over a dead node's outbox within seconds rather than Wolverine's default minute.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Wolverine:StaleNodeTimeout"] = "00:00:10",
        ["Wolverine:HealthCheckPollingTime"] = "00:00:02",
    };

    public Dictionary<string, string> NodeEnvironment() => new()
    {
        ["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(PostgresConnection) { Host = "127.0.0.1", Port = Postgres.Port }.ConnectionString,
        ["ConnectionStrings__RabbitMq"] = Broker.Rewrite(RabbitMqUri),
        ["Marten__Schema"] = Schema,
        ["Wolverine__StaleNodeTimeout"] = "00:00:10",
        ["Wolverine__HealthCheckPollingTime"] = "00:00:02",
        ["Auth__SigningKey"] = SigningKey,
        ["Auth__BootstrapAdminApiKey"] = BootstrapAdminApiKey,
        // The stack's own worker opens what these nodes seal.
        ["Encryption__MasterKey"] = MasterKey,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Broker = TcpFaultProxy.InFrontOf(RabbitMqUri);
        var postgres = new NpgsqlConnectionStringBuilder(PostgresConnection);
        Postgres = new TcpFaultProxy(postgres.Host!, postgres.Port);
        // The in-process node creates the schema and binds the worker's queues before the child starts.
        (await Api.GetAsync("/health/ready")).EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultStack>
{
    public const string Name = "faults-under-load";
}

[Collection(FaultCollection.Name)]
public sealed class FaultsUnderLoadTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Clients = 8;

    [Fact]
    public Task rabbitmq_unreachable_for_60_seconds_mid_load_loses_nothing() =>
        RunAsync("RabbitMQ unreachable for 60 s", async node =>
        {
            stack.Broker.Cut();
            await Task.Delay(TimeSpan.FromSeconds(60));
            stack.Broker.Restore();
            return node;
        });

    [Fact]
    public Task the_api_killed_with_sigkill_mid_load_loses_nothing() =>
        RunAsync("API node killed with SIGKILL", async node =>
        {
            node.Kill();
            await node.DisposeAsync();
            // The in-process node takes over the dead node's outbox; a replacement node takes the load again.
            return await ApiProcess.StartAsync(stack.NodeEnvironment());
        });

    [Fact]
    public Task postgresql_connections_lost_mid_load_lose_nothing() =>
        RunAsync("PostgreSQL connections cut for 10 s (a restart as the node sees it)", async node =>
        {
            stack.Postgres.Cut();
            await Task.Delay(TimeSpan.FromSeconds(10));
            stack.Postgres.Restore();
            return node;
        });

    /// <summary>
    /// Clients update their own users through the child node (one in eight updates changes the email, which
    /// the worker answers with a mail) for 5 s, the fault strikes while they go on, then 5 s more. Every
    /// acknowledged update must reach an independent subscriber, and each user's final address gets one mail.
    /// </summary>
    private async Task RunAsync(string fault, Func<ApiProcess, Task<ApiProcess>> strike)
    {
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.RabbitMqUri);
        var node = await ApiProcess.StartAsync(stack.NodeEnvironment());
        var current = node;
        try
        {
            await LoadAndCheckAsync(fault, strike, subscriber, node, n => Volatile.Write(ref current, n), () => Volatile.Read(ref current));
        }
        finally
        {
            // A failure must not leave a child API running beside the next tests.
            var last = Volatile.Read(ref current);
            await last.DisposeAsync();
            if (!ReferenceEquals(last, node))
                await node.DisposeAsync();
        }
    }

    private async Task LoadAndCheckAsync(string fault, Func<ApiProcess, Task<ApiProcess>> strike, RabbitSubscriber subscriber,
        ApiProcess node, Action<ApiProcess> setCurrent, Func<ApiProcess> current)
    {
        var users = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => stack.RegisterSettledAsync($"load{i}")));
        var acknowledged = new ConcurrentDictionary<(Guid User, long Version), long>();
        var finalEmail = new ConcurrentDictionary<Guid, string>();
        var failed = 0;
        using var stop = new CancellationTokenSource();
        var load = users.Select(user => Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var email = n % 8 == 0 ? HttpJson.UniqueEmail("moved") : null;
                object patch = email is null ? new { first_name = $"Load{n}" } : new { email };
                try
                {
                    var response = await current().Client.PatchJsonAsync($"/api/v1/users/{user}", patch);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged[(user, long.Parse(response.Headers.ETag!.Tag.Trim('"')))] = Stopwatch.GetTimestamp();
                        if (email is not null)
                            finalEmail[user] = email;
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                {
                    // The node is down or cut: not acknowledged, so nothing is promised.
                }
                Interlocked.Increment(ref failed);
                await Task.Delay(100);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        var struck = Stopwatch.GetTimestamp();
        setCurrent(await strike(node));
        var recovered = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var loadEnded = Stopwatch.GetTimestamp();

        {
            Dictionary<(Guid, long), long> arrivals;
            using var watching = new CancellationTokenSource();
            var watch = Task.Run(async () =>
            {
                while (!watching.IsCancellationRequested)
                {
                    var seen = subscriber.FirstArrivals();
                    output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} missing {acknowledged.Keys.Count(k => !seen.ContainsKey(k))}; outbox {await OutboxByOwnerAsync()}");
                    await Task.Delay(TimeSpan.FromSeconds(10));
                }
            });
            try
            {
                arrivals = await Eventually.Until(() => Task.FromResult(subscriber.FirstArrivals()),
                    a => acknowledged.Keys.All(a.ContainsKey), TimeSpan.FromSeconds(120), "every acknowledged update on RabbitMQ");
            }
            catch (TimeoutException)
            {
                var seen = subscriber.FirstArrivals();
                output.WriteLine($"{fault}: {acknowledged.Keys.Count(k => !seen.ContainsKey(k))} of {acknowledged.Count} acknowledged updates missing; " +
                                 $"outbox by owner: {await OutboxByOwnerAsync()}");
                foreach (var line in stack.ApiLogs.Lines.Where(l => l.Contains("outbox", StringComparison.OrdinalIgnoreCase)
                             || l.Contains("Recover", StringComparison.Ordinal) || l.Contains("Users.Contracts", StringComparison.Ordinal)).TakeLast(40))
                    output.WriteLine(line.Length > 600 ? line[..600] : line);
                throw;
            }
            var drained = Stopwatch.GetElapsedTime(loadEnded);
            await watching.CancelAsync();
            foreach (var (user, email) in finalEmail)
                await stack.Mail.WaitForMailToAsync(email, timeout: TimeSpan.FromSeconds(90));
            await Task.Delay(TimeSpan.FromSeconds(2));

            var deliveries = subscriber.Arrivals.Count;
            var distinct = subscriber.Arrivals.Select(a => a.Message["event_id"]!.GetValue<Guid>()).Distinct().Count();
            var mailsToFinal = finalEmail.Values.Select(e => stack.Mail.To(e).Count).ToList();
            var verificationMails = stack.Mail.Messages.Where(m => m.Subject == "Verify your email address")
                .GroupBy(m => m.To.ToString()).ToList();
            var inOrder = users.Count(u => DeliveryFigures.IsAscending(subscriber.Arrivals.Where(a => a.Message["user_id"]!.GetValue<Guid>() == u)
                .Select(a => a.Message["version"]!.GetValue<long>())));
            output.WriteLine($"{fault}: {acknowledged.Count} updates acknowledged ({failed} refused or failed while it lasted, " +
                $"fault {Stopwatch.GetElapsedTime(struck, recovered).TotalSeconds:F1} s); delivered {acknowledged.Keys.Count(arrivals.ContainsKey)}/{acknowledged.Count}, " +
                $"all {drained.TotalSeconds:F1} s after the load ended; on the wire {deliveries} deliveries of {distinct} events " +
                $"({deliveries - distinct} redelivered); {users.Length - inOrder} of {users.Length} users saw a version out of order on the wire; " +
                $"mails: {finalEmail.Count} final addresses with {mailsToFinal.Sum()} verification mails, " +
                $"{verificationMails.Count(g => g.Count() > 1)} addresses mailed more than once.");

            acknowledged.Keys.ShouldAllBe(k => arrivals.ContainsKey(k));
            mailsToFinal.ShouldAllBe(n => n == 1);
            verificationMails.ShouldAllBe(g => g.Count() == 1);
        }
    }

    private async Task<string> OutboxByOwnerAsync()
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select owner_id, destination, count(*) from {stack.Schema}.wolverine_outgoing_envelopes group by 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add($"{reader.GetValue(0)} {reader.GetValue(1)}: {reader.GetInt64(2)}");
        return rows.Count == 0 ? "empty" : string.Join("; ", rows);
    }

}
