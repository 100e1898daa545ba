using System.Diagnostics;
using Marten;

namespace Users.ServiceDefaults;

/// <summary>Who, why, through which door and under which trace: stamped on every event a session appends
/// (Marten's metadata columns and event headers), whichever host or handler appends it.</summary>
public static class EventStamp
{
    public const string OriginHeader = "origin";

    /// <summary>The event header holding the W3C trace context of the work that appended the event.</summary>
    public const string TraceParentHeader = "traceparent";

    public static void Stamp(this IDocumentSession session, string? correlationId, string? causationId, string actor, string origin)
    {
        session.CorrelationId = correlationId;
        session.CausationId = causationId;
        session.LastModifiedBy = actor;
        session.SetHeader(OriginHeader, origin);
        // Whatever publishes or consumes the event later continues this trace.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            session.SetHeader(TraceParentHeader, activity.Id!);
    }
}
