using JasperFx;
using Marten;
using Users.Contracts;

namespace Users.Notifications.Ordering;

/// <summary>
/// Lets one user's events through in version order, each once (docs/events.md, "One user at a time, in version order"). Versions are gapless per user and
/// the gated consumer sees every one of them (its queue is bound to every contract), so: at or below the last
/// handled version, a duplicate; beyond the next, an event that overtook earlier ones still on their way, which
/// the consumer handles first, read from the event store (see <see cref="Consumers.UserEventConsumer{T}"/>).
/// Progress is stored in the caller's session, so it commits with the effect's last marker.
/// </summary>
public sealed class VersionGate(TimeProvider clock, ILogger<VersionGate> logger)
{
    public const string Consumer = "notifications";

    /// <summary>The user's progress when <paramref name="e"/> is the next event to handle; null for a duplicate.</summary>
    public async Task<ConsumerProgress?> EnterAsync(IDocumentSession session, UserEvent e, CancellationToken ct)
    {
        var id = ConsumerProgress.IdFor(Consumer, e.UserId);
        var progress = await session.LoadAsync<ConsumerProgress>(id, ct)
            ?? new ConsumerProgress { Id = id, LastVersion = await StartingPointAsync(session, e, ct) };
        if (e.Version <= progress.LastVersion)
        {
            logger.LogInformation("{Type} v{Version} of user {UserId} already handled (at v{Last}); ignored",
                e.GetType().Name, e.Version, e.UserId, progress.LastVersion);
            return null;
        }
        return progress;
    }

    /// <summary>Moves the user's progress to <paramref name="e"/> and commits it with whatever the effect staged.</summary>
    public async Task AdvanceAsync(IDocumentSession session, ConsumerProgress progress, UserEvent e, CancellationToken ct)
    {
        // Marten checks the version read in EnterAsync (optimistic concurrency), and a first progress is an insert:
        // a second worker instance that advanced this user meanwhile makes the commit fail and the message retry.
        var isNew = session.VersionFor(progress) is null;
        progress.LastVersion = e.Version;
        progress.UpdatedAt = clock.GetUtcNow();
        if (isNew)
            session.Insert(progress);
        else
            session.Update(progress);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The version before the first one to handle, for a user without progress.</summary>
    private async Task<long> StartingPointAsync(IDocumentSession session, UserEvent e, CancellationToken ct)
    {
        if (e.Version == 1)
            return 0;
        var firstSequence = await session.Events.QueryAllRawEvents()
            .Where(x => x.StreamId == e.UserId && x.Version == 1)
            .Select(x => x.Sequence)
            .FirstOrDefaultAsync(ct);
        if (firstSequence == 0)
        {
            // Published events come from committed streams only: this one is not ours (or was never stored).
            logger.LogWarning("{Type} v{Version} names user {UserId}, who has no stream; ignored", e.GetType().Name, e.Version, e.UserId);
            return e.Version;
        }
        var baseline = await session.LoadAsync<GateBaseline>(Consumer, ct);
        // A user older than the gate: start at the first version seen. A newer one: version 1 is still to come.
        return baseline is not null && firstSequence <= baseline.HighestSequence ? e.Version - 1 : 0;
    }
}

/// <summary>Writes the <see cref="GateBaseline"/> on the worker's first start, before the bus consumes anything.</summary>
public sealed class GateBaselineWriter(IDocumentStore store, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<GateBaseline>(VersionGate.Consumer, ct) is not null)
            return;
        var highest = await session.Events.QueryAllRawEvents().OrderByDescending(x => x.Sequence).Select(x => x.Sequence).FirstOrDefaultAsync(ct);
        session.Insert(new GateBaseline { Id = VersionGate.Consumer, HighestSequence = highest, CreatedAt = clock.GetUtcNow() });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Another instance wrote it first: the earlier one stands.
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
