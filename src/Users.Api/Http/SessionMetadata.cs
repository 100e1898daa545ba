using System.Diagnostics;
using Marten;

namespace Users.Api.Http;

public static class SessionMetadata
{
    /// <summary>The event header holding the W3C trace context of the request that appended the event.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>Stamps who/why/where on every event this session appends (Marten metadata columns and headers).</summary>
    public static void StampWith(this IDocumentSession session, RequestContext context)
    {
        session.CorrelationId = context.CorrelationId;
        session.CausationId = context.CorrelationId;
        session.LastModifiedBy = context.Actor;
        session.SetHeader("origin", context.Origin);
        // The relay publishes from a background subscription, where the request's trace is gone: keep it
        // on the event so the publish (and the consumers downstream) continue the same trace.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            session.SetHeader(TraceParentHeader, activity.Id!);
    }
}
