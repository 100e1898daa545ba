using Marten;
using Users.ServiceDefaults;

namespace Users.Api.Http;

public static class SessionMetadata
{
    /// <summary>Stamps who/why/where on every event this session appends (Marten metadata columns and headers).</summary>
    public static void StampWith(this IDocumentSession session, RequestContext context)
    {
        session.Stamp(context.CorrelationId, context.CorrelationId, context.Actor, context.Origin);
        session.SetHeader(Provenance.Header, context.Provenance);
    }
}
