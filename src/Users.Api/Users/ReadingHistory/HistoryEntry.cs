using JasperFx.Events;
using Users.Api.Http;

namespace Users.Api.Users.ReadingHistory;

/// <summary>
/// One event of a user's history: who, when, why and through which door (as <see cref="EventMetadata"/>
/// describes every event), from where (<see cref="Http.Provenance"/>; null for events older than it), and the fields
/// it changed, by name.
/// </summary>
public sealed record HistoryEntry(long Version, long Sequence, Guid EventId, string Type, DateTimeOffset OccurredAt, string Actor,
    string? CorrelationId, string? CausationId, string? Origin, Provenance? Provenance, IReadOnlyDictionary<string, FieldChangeView> Changes)
{
    public static HistoryEntry Of(IEvent e, IReadOnlyDictionary<string, FieldChangeView> changes) =>
        new(e.Version, e.Sequence, e.Id, EventMetadata.TypeName(e), e.Timestamp, EventMetadata.Actor(e),
            e.CorrelationId, e.CausationId, EventMetadata.Origin(e), Http.Provenance.Of(e), changes);
}
