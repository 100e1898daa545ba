using System.Text;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// Where the tests find PostgreSQL and RabbitMQ: the local services named by environment variables
/// (scripts/test.sh starts them), else containers when a Docker engine answers. Never skipped.
/// </summary>
public static class TestServices
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Postgres, string RabbitMq, Func<string, Task> AddVhost)? _resolved;

    public static async Task<(string Postgres, string RabbitMq, Func<string, Task> AddVhost)> ResolveAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _resolved ??= await ResolveOnceAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(string, string, Func<string, Task>)> ResolveOnceAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var rabbitMq = Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbitMq))
        {
            return (postgres, rabbitMq, vhost => AddVhostOverHttpAsync(RabbitManagement.ManagementUrl, rabbitMq, vhost));
        }

        try
        {
            var pg = new PostgreSqlBuilder("postgres:15").Build();
            var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithUsername("guest").WithPassword("guest").Build();
            await Task.WhenAll(pg.StartAsync(), rabbit.StartAsync());
            return (pg.GetConnectionString(), rabbit.GetConnectionString(), async vhost =>
            {
                await rabbit.ExecAsync(["rabbitmqctl", "add_vhost", vhost]);
                await rabbit.ExecAsync(["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"]);
            }
            );
        }
        catch (Exception e) when (e.ToString().Contains("DockerUnavailableException", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "No PostgreSQL/RabbitMQ for the tests: run them through scripts/test.sh, which starts local services " +
                "and sets ConnectionStrings__Postgres and ConnectionStrings__RabbitMq, or start a Docker engine.", e);
        }
    }

    /// <summary>A virtual host per test stack keeps exchanges and queues of different runs apart.</summary>
    public static async Task AddVhostOverHttpAsync(string managementUrl, string amqpUri, string vhost)
    {
        using var http = RabbitManagement.ClientOf(managementUrl, amqpUri);
        var name = Uri.EscapeDataString(vhost);
        (await http.PutAsync($"/api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = new Uri(amqpUri.Split(',')[0]).UserInfo;
        var username = string.IsNullOrEmpty(user) ? "guest" : Uri.UnescapeDataString(user.Split(':')[0]);
        (await http.PutAsync($"/api/permissions/{name}/{Uri.EscapeDataString(username)}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    /// <summary>The URI (or each of a cluster's comma-separated URIs) with the virtual host as its path.</summary>
    public static string WithVhost(string amqpUri, string vhost) => string.Join(",", amqpUri
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(node => new UriBuilder(node) { Path = "/" + Uri.EscapeDataString(vhost) }.Uri.ToString()));
}
