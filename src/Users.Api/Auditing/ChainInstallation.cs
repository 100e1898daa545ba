using Marten;

namespace Users.Api.Auditing;

/// <summary>
/// At start-up, after Marten has applied its schema (its hosted service is registered first): installs the chain's
/// tables and trigger and chains the events stored before them.
/// </summary>
public sealed class ChainInstallation(IDocumentStore store, ILogger<ChainInstallation> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = await CheckpointWriter.OpenAsync(store, cancellationToken);
        await ChainSchema.InstallAsync(connection, schema, cancellationToken);
        var backfilled = await ChainSchema.BackfillAsync(connection, schema, cancellationToken);
        if (backfilled > 0)
            log.LogInformation("Audit chain: chained the earlier events of {Streams} streams", backfilled);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
