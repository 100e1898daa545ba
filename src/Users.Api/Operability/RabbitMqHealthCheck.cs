using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using Users.Projections;

namespace Users.Api.Operability;

/// <summary>
/// Opens a channel on a connection of its own (kept between checks, replaced once closed), so a broker that
/// went away shows as failing (Degraded, as registered) at once and a broker that came back as healthy at the next check.
/// </summary>
public sealed class RabbitMqHealthCheck(string uri) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                    await _connection.DisposeAsync();
                _connection = null;
                var broker = RabbitMqNodes.From(uri, null);
                var factory = new ConnectionFactory
                {
                    Uri = broker.First,
                    ClientProvidedName = "users-health",
                    AutomaticRecoveryEnabled = false,
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
                };
                // Any node of a cluster will do: the service is ready while one answers.
                _connection = await factory.CreateConnectionAsync(broker.Endpoints.Select(e => new AmqpTcpEndpoint(e.Host, e.Port)).ToList(), ct);
            }
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ is unreachable: " + e.GetType().Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
