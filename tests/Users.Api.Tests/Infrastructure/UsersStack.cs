using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Users.Api.Auth;
using Users.Notifications;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// The whole service for a test: the API (in-process, full pipeline), the notifications worker, real
/// PostgreSQL (own schema), real RabbitMQ (own virtual host) and a real SMTP server.
/// </summary>
public class UsersStack : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _api;
    private WebApplication? _worker;

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..12];
    public string VirtualHost { get; } = "t-" + Guid.NewGuid().ToString("N")[..12];
    public SmtpSink Mail { get; } = new();
    public string PostgresConnection { get; private set; } = "";
    public string RabbitMqUri { get; private set; } = "";
    /// <summary>The default client: authenticated as admin with the bootstrap API key.</summary>
    public HttpClient Api { get; private set; } = null!;
    public string SigningKey { get; } = "test-signing-key-" + Guid.NewGuid().ToString("N");
    public string BootstrapAdminApiKey { get; } = "in-bootstrap-" + Guid.NewGuid().ToString("N");
    /// <summary>The master key wrapping the users' data keys, the same for the API and the worker.</summary>
    public string MasterKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    /// <summary>Every line the API logged, to check that secrets never reach a log.</summary>
    public LogSink ApiLogs { get; } = new();
    public IDocumentStore Store => _api!.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider ApiServices => _api!.Services;

    /// <summary>Extra settings for both processes, e.g. shorter token lifetimes.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual bool StartWorker => true;

    /// <summary>Where the API reaches RabbitMQ; a fault-injecting stack points it at a proxy.</summary>
    protected virtual string ApiRabbitMqUri => RabbitMqUri;
    /// <summary>Extra wiring of the API host (services, loggers, exporters).</summary>
    protected virtual void ConfigureApi(IWebHostBuilder web)
    {
    }

    /// <summary>Extra wiring of the worker host.</summary>
    protected virtual void ConfigureWorker(WebApplicationBuilder worker)
    {
    }

    /// <summary>Last word on the API's factory before it starts, e.g. <c>UseKestrel</c> for a browser.</summary>
    protected virtual WebApplicationFactory<Program> PrepareApi(WebApplicationFactory<Program> api) => api;

    public WebApplicationFactory<Program> ApiFactory => _api!;
    public IServiceProvider? WorkerServices => _worker?.Services;

    public virtual async Task InitializeAsync()
    {
        var (postgres, rabbitMq, addVhost) = await TestServices.ResolveAsync();
        await addVhost(VirtualHost);
        PostgresConnection = postgres;
        RabbitMqUri = TestServices.WithVhost(rabbitMq, VirtualHost);

        // The worker first: its queues must be bound before the API publishes anything.
        if (StartWorker)
            await StartWorkerAsync();

        // The API ends with RunJasperFxCommands; in a test host it must start the host rather than parse args.
        JasperFxEnvironment.AutoStartHost = true;
        var settings = CommonSettings();
        // A stack that routes only the API through a proxy says so here; Settings may reroute both hosts.
        if (ApiRabbitMqUri != RabbitMqUri)
            settings["ConnectionStrings:RabbitMq"] = ApiRabbitMqUri;
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
                web.UseSetting(key, value);
            web.ConfigureLogging(logging => logging.AddProvider(ApiLogs));
            ConfigureApi(web);
        });
        _api = PrepareApi(_api);
        Api = ClientWithApiKey(BootstrapAdminApiKey);
    }

    public HttpClient AnonymousClient() => _api!.CreateClient();

    /// <summary>A client with a valid bearer token for the user (role admin or auditor, or none).</summary>
    public HttpClient ClientFor(Guid userId, string? role = null) => ClientWithToken(Token(userId, role));

    public HttpClient ClientWithToken(string token)
    {
        var client = _api!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient ClientWithApiKey(string key)
    {
        var client = _api!.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        return client;
    }

    /// <summary>
    /// A bearer token as the service's issuer would sign it; pass a past <paramref name="expires"/> for an
    /// expired one, another <paramref name="signingKey"/> for a forged one.
    /// </summary>
    public string Token(Guid userId, string? role = null, DateTimeOffset? expires = null, string? signingKey = null,
        string issuer = "users", string audience = "users") =>
        DevTokens.Mint(signingKey ?? SigningKey, issuer, audience, userId.ToString(), role,
            expires ?? DateTimeOffset.UtcNow.AddHours(1));

    public async Task StartWorkerAsync()
    {
        var settings = CommonSettings();
        _worker = WorkerHost.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(settings);
            ConfigureWorker(builder);
        });
        await _worker.StartAsync();
    }

    public async Task StopWorkerAsync()
    {
        if (_worker is null)
            return;
        await _worker.StopAsync();
        await _worker.DisposeAsync();
        _worker = null;
    }

    /// <summary>The settings both hosts get (connection strings, schema, SMTP, keys), with <see cref="Settings"/> on top.</summary>
    public Dictionary<string, string?> CommonSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = PostgresConnection,
            ["ConnectionStrings:RabbitMq"] = RabbitMqUri,
            ["Marten:Schema"] = Schema,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Mail.Port.ToString(),
            ["Smtp:From"] = "no-reply@users.test",
            ["Users:PublicBaseUrl"] = "http://users.test",
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:BootstrapAdminApiKey"] = BootstrapAdminApiKey,
            ["Encryption:MasterKey"] = MasterKey,
        };
        foreach (var (key, value) in Settings)
            settings[key] = value;
        return settings;
    }

    public virtual async Task DisposeAsync()
    {
        await StopWorkerAsync();
        if (_api is not null)
            await _api.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<UsersStack>
{
    public const string Name = "stack";
}
