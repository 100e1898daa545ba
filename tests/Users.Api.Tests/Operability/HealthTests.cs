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
    public async Task a_broker_outage_degrades_the_api_but_keeps_it_ready_a_database_outage_does_not_and_live_stays_up()
    {
        using var worker = new HttpClient { BaseAddress = stack.WorkerBaseAddress };
        await BothReadyAsync(worker);

        // RabbitMQ away: the API stays ready (200) but Degraded, as writes go on into the outbox: taking every
        // node out of the load balancer would turn a broker outage into a full one. A change committed meanwhile
        // waits in the outbox, which the backlog check reports, Degraded too.
        stack.RabbitMq.Cut();
        var api = await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.OK, r => Status(r, "rabbitmq") == "Degraded");
        api["status"]!.GetValue<string>().ShouldBe("Degraded");
        Status(api, "postgresql").ShouldBe("Healthy");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("outage") });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.OK, r => Status(r, "outbox") == "Degraded");
        // MassTransit reports a bus with disconnected consumers as Degraded; the worker answers 503 for it.
        await UntilAsync(worker, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "rabbitmq") is "Unhealthy" or "Degraded");
        await LiveAsync(worker);

        stack.RabbitMq.Restore();
        await BothReadyAsync(worker);

        // PostgreSQL away: both fail on the database check, and say no more than that to an anonymous caller.
        stack.Postgres.Cut();
        var down = await UntilAsync(stack.AnonymousClient(), "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "postgresql") == "Unhealthy");
        StatusesOnly(down);
        StatusesOnly(await UntilAsync(worker, "/health/ready", HttpStatusCode.ServiceUnavailable, r => Status(r, "postgresql") == "Unhealthy"));
        await LiveAsync(worker);

        stack.Postgres.Restore();
        await BothReadyAsync(worker);
    }

    private async Task BothReadyAsync(HttpClient worker)
    {
        // Degraded answers 200 as well: wait for all of it.
        var api = await UntilAsync(stack.Api, "/health/ready", HttpStatusCode.OK, r => r["status"]?.GetValue<string>() == "Healthy");
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

    /// <summary>No description, exception text, data or timing: they name hosts, ports and errors.</summary>
    private static void StatusesOnly(JsonObject body)
    {
        body.Select(kv => kv.Key).ShouldBe(["status", "entries"], ignoreOrder: true);
        foreach (var (name, entry) in body["entries"]!.AsObject())
            entry!.AsObject().Select(kv => kv.Key).ShouldBe(["status"], name);
        body.ToJsonString().ShouldNotContain("xception");
    }

    /// <summary>One check's status in the JSON body: {status, entries: {name: {status, …}}}.</summary>
    private static string? Status(JsonObject body, string check) => body["entries"]?[check]?["status"]?.GetValue<string>();
}
