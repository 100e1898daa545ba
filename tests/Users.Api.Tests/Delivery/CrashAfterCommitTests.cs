using System.Net;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

/// <summary>
/// The API runs as a child process behind a <see cref="TcpFaultProxy"/>: with the network to RabbitMQ cut,
/// acknowledged updates can only sit in PostgreSQL (event store, subscription, outbox) when the process is
/// killed. A fresh process must deliver every one of them.
/// </summary>
public sealed class CrashAfterCommitTests(ITestOutputHelper output)
{
    private static readonly string AdminKey = "in-crash-admin-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task every_update_acknowledged_before_a_crash_is_published_after_the_restart()
    {
        var (postgres, rabbitMq, addVhost) = await TestServices.ResolveAsync();
        var vhost = "t-" + Guid.NewGuid().ToString("N")[..12];
        await addVhost(vhost);
        var brokerUri = TestServices.WithVhost(rabbitMq, vhost);
        await using var proxy = TcpFaultProxy.InFrontOf(brokerUri);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = postgres,
            ["ConnectionStrings__RabbitMq"] = proxy.Rewrite(brokerUri),
            ["Marten__Schema"] = "t_" + Guid.NewGuid().ToString("N")[..12],
            // Take over a crashed node's outbox within seconds rather than Wolverine's default minute.
            ["Wolverine__StaleNodeTimeout"] = "00:00:05",
            ["Wolverine__HealthCheckPollingTime"] = "00:00:01",
            ["Auth__SigningKey"] = "crash-test-signing-key-" + Guid.NewGuid().ToString("N"),
            ["Auth__BootstrapAdminApiKey"] = AdminKey,
        };
        await using var subscriber = await RabbitSubscriber.BindAllAsync(brokerUri);

        const int userCount = 5, updatesPerUser = 5;
        var ids = new List<Guid>();
        var began = DateTime.UtcNow;
        await using (var first = await ApiProcess.StartAsync(environment))
        {
            output.WriteLine($"first start took {(DateTime.UtcNow - began).TotalSeconds:F1} s");
            for (var i = 0; i < userCount; i++)
            {
                var created = await first.Client.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("crash") });
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                ids.Add((await created.ReadObjectAsync())["id"]!.GetValue<Guid>());
            }
            proxy.Cut();
            var acknowledged = 0;
            foreach (var id in ids)
            {
                for (var k = 0; k < updatesPerUser; k++)
                {
                    var response = await first.Client.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = $"Name{k}" });
                    response.StatusCode.ShouldBe(HttpStatusCode.OK);
                    acknowledged++;
                }
            }
            // Killed once the relay has put the updates' events in the outbox, which cannot send through the cut.
            var inOutbox = await Eventually.Until(() => OutboxCountAsync(postgres, environment["Marten__Schema"]),
                n => n >= acknowledged, TimeSpan.FromSeconds(30), "the updates' events in the outbox");
            first.Kill();
            subscriber.Messages("UserProfileUpdated").Count.ShouldBe(0, "nothing was sent before the crash");
            output.WriteLine($"{acknowledged} updates acknowledged; {inOutbox} envelopes in the outbox; then the API process was killed " +
                $"({(DateTime.UtcNow - began).TotalSeconds:F1} s).");
        }

        proxy.Restore();
        var restarted = DateTime.UtcNow;
        await using var second = await ApiProcess.StartAsync(environment);
        output.WriteLine($"second start took {(DateTime.UtcNow - restarted).TotalSeconds:F1} s");
        var figures = await Eventually.Until(() => Task.FromResult(DeliveryFigures.Of(subscriber.Messages("UserProfileUpdated"))),
            f => f.Distinct >= userCount * updatesPerUser, TimeSpan.FromSeconds(45), "every acknowledged update after the restart");

        // The CloudEvents headers were stored with each envelope in the outbox and survived the crash.
        foreach (var (_, envelope) in subscriber.Received.Where(r => r.Type == "UserProfileUpdated"))
            (envelope["headers"]?["cloudEvents_id"]?.GetValue<string>()).ShouldBe(envelope["message"]!["event_id"]!.GetValue<string>());
        foreach (var id in ids)
        {
            subscriber.For(id).Where(m => m.Type == "UserProfileUpdated").Select(m => m.Message["version"]!.GetValue<long>())
                .Distinct().Order().ShouldBe(Enumerable.Range(2, updatesPerUser).Select(v => (long)v));
        }
        output.WriteLine($"Crash after commit: {userCount * updatesPerUser} acknowledged updates; after the restart: {figures}; " +
            $"all arrived {(DateTime.UtcNow - restarted).TotalSeconds:F1} s after the restart began.");
    }

    private static async Task<long> OutboxCountAsync(string postgres, string schema)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.wolverine_outgoing_envelopes", connection);
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
