using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Users.Domain.Events;

namespace Users.Projections.Encryption;

/// <summary>
/// Seals the personal values of every appended event, and the personal members of its <c>provenance</c> header,
/// under the user's data key (the stream id names the user), just before the batch is written. Marten runs the
/// inline projections (the read model, the write side's snapshot) before its listeners and serializes the events
/// after them, so projections see plaintext and only the stored bytes are sealed. Register it after
/// <c>IntegrationEventOutbox</c>: that one maps the plaintext events to the integration contracts.
/// A key created here is inserted in the same transaction; it is remembered only once that commits.
/// </summary>
public sealed class PersonalDataSealing(DataKeys keys) : DocumentSessionListenerBase
{
    /// <summary>Data and headers this listener produced: a session saved again (a retry) is not sealed twice.</summary>
    private readonly ConditionalWeakTable<object, object> _sealed = new();
    private readonly ConditionalWeakTable<IDocumentSession, Dictionary<Guid, byte[]>> _created = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo> DataProperties = new();

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
        {
            if (stream.Events.Count == 0)
                continue;
            // What an erasure's own commit records is erased already: it needs no key and creates none.
            var erasing = stream.Events.Any(e => e.Data is UserErased);
            PersonalData.Treatment? values = erasing ? PersonalData.Masking : null;
            foreach (var e in stream.Events)
            {
                if (!_sealed.TryGetValue(e.Data, out _) && PersonalData.Holds(e.Data, _ => true))
                {
                    values ??= await SealingFor(session, stream.Id, token);
                    var data = PersonalData.Transform(e.Data, values);
                    DataProperties.GetOrAdd(e.GetType(), t => t.GetProperty(nameof(IEvent.Data))!).SetValue(e, data);
                    _sealed.AddOrUpdate(data, data);
                }
                if (e.Headers?.TryGetValue(Provenance.Header, out var provenance) == true && provenance is not null && !_sealed.TryGetValue(provenance, out _))
                {
                    values ??= await SealingFor(session, stream.Id, token);
                    if (Provenance.Transform(session.DocumentStore.Options.Serializer().ToJson(provenance), values.Text) is { } sealedHeader)
                    {
                        // The session's header dictionary may be shared by every event of the session: copy it.
                        e.Headers = new Dictionary<string, object>(e.Headers) { [Provenance.Header] = sealedHeader };
                        _sealed.AddOrUpdate(sealedHeader, sealedHeader);
                    }
                }
            }
        }
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (_created.TryGetValue(session, out var created))
        {
            foreach (var (userId, key) in created)
                keys.Remember(userId, key);
            _created.Remove(session);
        }
        foreach (var stream in commit.GetStreams())
            if (stream.Events.Any(e => e.Data is UserErased))
                keys.Forget(stream.Id);
        return Task.CompletedTask;
    }

    private async Task<PersonalData.Treatment> SealingFor(IDocumentSession session, Guid userId, CancellationToken token)
    {
        var created = _created.GetOrCreateValue(session);
        if (!created.TryGetValue(userId, out var key))
        {
            (key, var row) = await keys.ForSealingAsync(session, userId, token);
            if (row is not null)
                created[userId] = key;
        }
        return DataKeys.Sealing(userId, key);
    }
}
