using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Users.Api.Operability;

/// <summary>
/// How many envelopes wait in Wolverine's outbox (its outgoing table in our schema). A growing backlog
/// means RabbitMQ is not taking what committed: the instance is alive but not doing its job.
/// </summary>
public sealed class OutboxBacklog(string postgres, string schema)
{
    private readonly string _sql = $"select count(*) from {schema}.wolverine_outgoing_envelopes";

    /// <summary>The last count measured; -1 before the first.</summary>
    public long Last { get; private set; } = -1;

    public async Task<long> MeasureAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(_sql, connection);
        Last = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        return Last;
    }
}

public sealed class OutboxBacklogHealthCheck(OutboxBacklog backlog, long threshold) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var count = await backlog.MeasureAsync(ct);
        var data = new Dictionary<string, object> { ["backlog"] = count, ["threshold"] = threshold };
        return count <= threshold
            ? HealthCheckResult.Healthy($"{count} envelope(s) waiting", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"{count} envelopes waiting, over the threshold of {threshold}", data: data);
    }
}

/// <summary>Keeps the outbox backlog metric current even when nobody asks /health/ready.</summary>
public sealed class OutboxBacklogSampler(OutboxBacklog backlog, IConfiguration config, ILogger<OutboxBacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = config.GetValue("Health:OutboxSampleInterval", TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await backlog.MeasureAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug("Outbox backlog not measured: {Error}", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
