using System.Diagnostics;
using JasperFx.OpenTelemetry;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Users.Projections;

public static class MartenObservability
{
    /// <summary>
    /// Marten's spans (one per connection use: the event append among them), its event counters, and a
    /// command log that leaves parameter values out. Both hosts call this.
    /// </summary>
    public static void ObserveWithoutPersonalData(this StoreOptions options, ILoggerFactory loggers)
    {
        options.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();
        options.Logger(new ParameterFreeMartenLogger(loggers.CreateLogger("Marten")));
    }
}

/// <summary>
/// Marten's command log without the parameter values: Marten's default logger writes them (event bodies,
/// email addresses) at Debug and on failures, and personal data must never reach the logs.
/// The SQL text itself carries only placeholders.
/// </summary>
public sealed class ParameterFreeMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    private long _started;

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Executed schema update SQL:\n{SQL}", sql);

    public void OnBeforeExecute(NpgsqlCommand command) => _started = Stopwatch.GetTimestamp();

    public void OnBeforeExecute(NpgsqlBatch batch) => _started = Stopwatch.GetTimestamp();

    public void LogSuccess(NpgsqlCommand command)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Marten executed in {Milliseconds} ms, SQL: {SQL} ({Parameters} parameters)",
                Elapsed(), command.CommandText, command.Parameters.Count);
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Marten executed a batch of {Commands} commands in {Milliseconds} ms", batch.BatchCommands.Count, Elapsed());
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) =>
        logger.LogError(ex, "Marten failed executing SQL: {SQL} ({Parameters} parameters)", command.CommandText, command.Parameters.Count);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        logger.LogError(ex, "Marten failed executing a batch: {SQL}",
            string.Join("; ", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => logger.LogError(ex, "{Message}", message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Persisted {Updated} updates, {Inserted} inserts, {Deleted} deletions",
                commit.Updated.Count(), commit.Inserted.Count(), commit.Deleted.Count());
    }

    private double Elapsed() => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
}
