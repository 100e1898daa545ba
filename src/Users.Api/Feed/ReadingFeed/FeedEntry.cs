using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Users.Api.Http;

namespace Users.Api.Feed.ReadingFeed;

/// <summary>
/// One event of the feed: who, when, why and through which door (as <see cref="EventMetadata"/> describes every
/// event), whose stream, and the event's data as stored, its password hash redacted.
/// </summary>
public sealed record FeedEntry(long Version, long Sequence, Guid EventId, string Type, DateTimeOffset OccurredAt, string Actor,
    string? CorrelationId, string? CausationId, string? Origin, Provenance? Provenance, Guid UserId, JsonObject Data)
{
    public static FeedEntry Of(IEvent e, ISerializer serializer)
    {
        var data = JsonNode.Parse(serializer.ToJson(e.Data))!.AsObject();
        // Secrets never leave, not even to auditors.
        if (data.ContainsKey("password_hash"))
            data["password_hash"] = Domain.History.FieldHistory.Redacted;
        return new FeedEntry(e.Version, e.Sequence, e.Id, EventMetadata.TypeName(e), e.Timestamp, EventMetadata.Actor(e),
            e.CorrelationId, e.CausationId, EventMetadata.Origin(e), Provenance.Of(e), e.StreamId, data);
    }
}
