using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

/// <summary>
/// A stack whose API and worker reach PostgreSQL and RabbitMQ through fault proxies, so a test can take them
/// away from this stack only (the shared services stay up for everyone else).
/// </summary>
public sealed class FaultableStack : UsersStack
{
    private Dictionary<string, string?>? _settings;

    public TcpFaultProxy Postgres { get; private set; } = null!;
    public TcpFaultProxy RabbitMq { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => _settings ??= ThroughProxies();

    private Dictionary<string, string?> ThroughProxies()
    {
        var postgres = new NpgsqlConnectionStringBuilder(PostgresConnection);
        Postgres = new TcpFaultProxy(postgres.Host!, postgres.Port);
        postgres.Host = "127.0.0.1";
        postgres.Port = Postgres.Port;
        // Fail fast while cut, rather than after the default 15 s.
        postgres.Timeout = 3;

        var rabbit = new UriBuilder(RabbitMqUri);
        RabbitMq = new TcpFaultProxy(rabbit.Host, rabbit.Port);
        rabbit.Host = "127.0.0.1";
        rabbit.Port = RabbitMq.Port;

        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = rabbit.Uri.ToString(),
            // Any waiting envelope counts as a backlog, so a broker outage shows in the outbox check.
            ["Health:OutboxBacklogThreshold"] = "0",
        };
    }

    public Uri WorkerBaseAddress => new(WorkerServices!.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.First());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
        await RabbitMq.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FaultableStackCollection : ICollectionFixture<FaultableStack>
{
    public const string Name = "faultable stack";
}

[Collection(FaultableStackCollection.Name)]
public sealed class HealthTests(FaultableStack stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ready_fails_while_a_dependency_is_away_and_recovers_when_it_is_back_while_live_stays_up()
    {
        using var worker = new HttpClient { BaseAddress = stack.WorkerBaseAddress };
        await BothReadyAsync(worker);

        // RabbitMQ away: the API's broker check and the worker's bus fail; a change committed meanwhile waits
        // in the outbox, which the backlog check reports.
        stack.RabbitMq.Cut();
        var api = await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "rabbitmq") == "Unhealthy");
        Status(api, "postgresql").ShouldBe("Healthy");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("outage") });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "outbox") == "Unhealthy");
        // MassTransit reports a bus with disconnected consumers as Degraded; the worker answers 503 for it.
        await UntilAsync(worker, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "rabbitmq") is "Unhealthy" or "Degraded");
        await LiveAsync(worker);

        stack.RabbitMq.Restore();
        await BothReadyAsync(worker);

        // PostgreSQL away: both fail on the database check.
        stack.Postgres.Cut();
        await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "postgresql") == "Unhealthy");
        await UntilAsync(worker, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "postgresql") == "Unhealthy");
        await LiveAsync(worker);

        stack.Postgres.Restore();
        await BothReadyAsync(worker);
    }

    private async Task BothReadyAsync(HttpClient worker)
    {
        var api = await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.OK, _ => true);
        foreach (var check in new[] { "postgresql", "rabbitmq", "outbox" })
            Status(api, check).ShouldBe("Healthy", check);
        var ready = await UntilAsync(worker, "/health/ready", HttpStatusCode.OK, _ => true);
        foreach (var check in new[] { "postgresql", "rabbitmq" })
            Status(ready, check).ShouldBe("Healthy", check);
    }

    private async Task LiveAsync(HttpClient worker)
    {
        (await stack.Api.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await worker.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<JsonObject> UntilAsync(HttpClient client, string path, HttpStatusCode expected, Func<JsonObject, bool> also)
    {
        var (_, body) = await Eventually.Until(async () =>
        {
            var response = await client.GetAsync(path);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            return (response.StatusCode, json);
        }, r => r.StatusCode == expected && also(r.json), Patience, $"{client.BaseAddress}{path} → {(int)expected}");
        return body;
    }

    /// <summary>One check's status in the JSON body: {status, entries: {name: {status, …}}}.</summary>
    private static string? Status(JsonObject body, string check) => body["entries"]?[check]?["status"]?.GetValue<string>();
}
