using System.Diagnostics;
using System.Net;
using Npgsql;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Cluster;

/// <summary>
/// The deployment of docs/scaling.md in small: two API processes and two worker processes on one PostgreSQL schema
/// and a three-node RabbitMQ cluster (own virtual host, quorum queues). The cluster comes from
/// <c>$USERS_SERVICES_SCRIPT start --rabbit-cluster 3</c>, started here when it is not running. Each worker mails
/// through its own SMTP sink, so a test knows which worker a mail came from.
/// </summary>
public sealed class ClusterStack : IAsyncLifetime
{
    public const int Nodes = 3;

    /// <summary>How long a dead API node's outbox may wait for another node: docs/scaling.md's bound (StaleNodeTimeout,
    /// two health checks to eject it, the orphan sweep and the recovery poll, 5 s each: 24 s here) plus 5 s of slack
    /// for a loaded two-core machine.</summary>
    public static readonly TimeSpan StaleNodeTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan HealthCheckPollingTime = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan TakeoverBound = StaleNodeTimeout + 2 * HealthCheckPollingTime + TimeSpan.FromSeconds(5 + 5) + TimeSpan.FromSeconds(5);

    private string _script = "";

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..12];
    public string VirtualHost { get; } = "t-" + Guid.NewGuid().ToString("N")[..12];
    public string SigningKey { get; } = "cluster-signing-key-" + Guid.NewGuid().ToString("N");
    public string AdminKey { get; } = "in-cluster-admin-" + Guid.NewGuid().ToString("N");
    public string PostgresConnection { get; private set; } = "";
    /// <summary>Every node of the cluster, comma-separated, with this stack's virtual host.</summary>
    public string RabbitMq { get; private set; } = "";
    /// <summary>Node i's amqp:// URI (0-based) with this stack's virtual host.</summary>
    public string[] NodeUris { get; private set; } = [];
    public string[] ManagementUrls { get; private set; } = [];
    public SmtpSink[] Mail { get; } = [new(), new()];
    /// <summary>API node 1 reaches each broker node through one of these, so a test can cut it off the broker: what it
    /// acknowledges then waits in its outbox, which a crash leaves to the other node.</summary>
    public TcpFaultProxy[] FirstApiBroker { get; private set; } = [];
    public ApiProcess?[] Apis { get; } = new ApiProcess?[2];
    public ApiProcess?[] Workers { get; } = new ApiProcess?[2];

    public async Task InitializeAsync()
    {
        _script = Environment.GetEnvironmentVariable("USERS_SERVICES_SCRIPT") is { Length: > 0 } script
            ? script
            : Path.Combine(RepositoryRoot(), "scripts", "services.sh");
        await ServicesAsync($"start --rabbit-cluster {Nodes}", TimeSpan.FromMinutes(5));
        var env = Exports(await ServicesAsync("env --rabbit-cluster", TimeSpan.FromSeconds(30)));
        PostgresConnection = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } pg
            ? pg
            : env["ConnectionStrings__Postgres"];
        var nodes = env["ConnectionStrings__RabbitMq"].Split(',');
        ManagementUrls = env["RABBITMQ_CLUSTER_MANAGEMENT_URLS"].Split(',');
        await TestServices.AddVhostOverHttpAsync(ManagementUrls[0], nodes[0], VirtualHost);
        NodeUris = nodes.Select(n => TestServices.WithVhost(n, VirtualHost)).ToArray();
        RabbitMq = string.Join(",", NodeUris);
        FirstApiBroker = NodeUris.Select(TcpFaultProxy.InFrontOf).ToArray();

        // One at a time until the schema and the queues exist (each host applies its schema at start), then the rest.
        Workers[0] = await StartWorkerAsync(0);
        Apis[0] = await StartApiAsync(0);
        var rest = await Task.WhenAll(StartWorkerAsync(1), StartApiAsync(1));
        (Workers[1], Apis[1]) = (rest[0], rest[1]);
    }

    public Dictionary<string, string> ProcessEnvironment(int smtp) => new()
    {
        ["ConnectionStrings__Postgres"] = PostgresConnection,
        ["ConnectionStrings__RabbitMq"] = RabbitMq,
        ["RabbitMq__QueueType"] = "quorum",
        ["Marten__Schema"] = Schema,
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = Mail[smtp].Port.ToString(),
        ["Smtp__From"] = "no-reply@users.test",
        ["Users__PublicBaseUrl"] = "http://users.test",
        ["Auth__SigningKey"] = SigningKey,
        ["Auth__BootstrapAdminApiKey"] = AdminKey,
        ["Wolverine__StaleNodeTimeout"] = StaleNodeTimeout.ToString(),
        ["Wolverine__HealthCheckPollingTime"] = HealthCheckPollingTime.ToString(),
    };

    public Task<ApiProcess> StartApiAsync(int index)
    {
        var environment = ProcessEnvironment(0);
        if (index == 0)
            environment["ConnectionStrings__RabbitMq"] = string.Join(",", NodeUris.Select((uri, i) => FirstApiBroker[i].Rewrite(uri)));
        return ApiProcess.StartAsync(environment, TimeSpan.FromSeconds(120));
    }

    public Task<ApiProcess> StartWorkerAsync(int index) =>
        ApiProcess.StartAsync(ProcessEnvironment(index), TimeSpan.FromSeconds(120), program: "Users.Notifications.dll");

    /// <summary>A live API node, preferring <paramref name="preferred"/>: the load balancer's choice.</summary>
    public HttpClient Api(int preferred) =>
        (Apis[preferred % Apis.Length] ?? Apis[(preferred + 1) % Apis.Length] ?? throw new InvalidOperationException("No API node is up.")).Client;

    /// <summary>Registers a user through the given node and waits until the worker has recorded its verification mail.</summary>
    public async Task<Guid> RegisterSettledAsync(int node, string name)
    {
        var created = await Api(node).PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail(name) });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await Eventually.Until(() => VersionAsync(id), v => v >= 2, TimeSpan.FromSeconds(60), $"user {id} settled at version 2");
        return id;
    }

    public async Task<long> VersionAsync(Guid id)
    {
        var response = await Api(0).GetAsync($"/api/v1/users/{id}");
        return response.StatusCode == HttpStatusCode.OK ? long.Parse(response.Headers.ETag!.Tag.Trim('"')) : 0;
    }

    /// <summary>Stops cluster node i (1-based) as an operator or a crash would; <see cref="EnsureClusterAsync"/> brings it back.</summary>
    public Task StopRabbitNodeAsync(int node) => ServicesAsync($"stop-rabbit-node {node}", TimeSpan.FromSeconds(60));

    public Task EnsureClusterAsync() => ServicesAsync($"start --rabbit-cluster {Nodes}", TimeSpan.FromMinutes(3));

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema, StringComparison.Ordinal), connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The version the workers' gate reached for each user (the last event whose effects are done).</summary>
    public async Task<Dictionary<Guid, long>> GateVersionsAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select id, (data ->> 'last_version')::bigint from {Schema}.mt_doc_consumerprogress", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new Dictionary<Guid, long>();
        while (await reader.ReadAsync())
        {
            var user = Guid.Parse(reader.GetString(0)[(reader.GetString(0).LastIndexOf(':') + 1)..]);
            versions[user] = Math.Max(versions.GetValueOrDefault(user), reader.GetInt64(1));
        }
        return versions;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Apis.Concat(Workers))
            if (process is not null)
                await process.DisposeAsync();
        foreach (var sink in Mail)
            await sink.DisposeAsync();
        foreach (var proxy in FirstApiBroker)
            await proxy.DisposeAsync();
    }

    private async Task<string> ServicesAsync(string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_script);
        foreach (var argument in arguments.Split(' '))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{_script} {arguments} failed ({process.ExitCode}): {await stderr}{await stdout}");
        return await stdout;
    }

    /// <summary>The <c>export NAME='value'</c> lines; a later line wins, as in a shell.</summary>
    private static Dictionary<string, string> Exports(string lines)
    {
        var exports = new Dictionary<string, string>();
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("export ", StringComparison.Ordinal)))
        {
            var pair = line["export ".Length..].Split('=', 2);
            exports[pair[0]] = pair[1].Trim('\'');
        }
        return exports;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Users.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Users.sln not found above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterStack>
{
    public const string Name = "cluster";
}
