using Marten;

namespace Users.Api.Http;

public static class SessionMetadata
{
    /// <summary>Stamps who/why/where on every event this session appends (Marten metadata columns and headers).</summary>
    public static void StampWith(this IDocumentSession session, RequestContext context)
    {
        session.CorrelationId = context.CorrelationId;
        session.CausationId = context.CorrelationId;
        session.LastModifiedBy = context.Actor;
        session.SetHeader("origin", context.Origin);
    }
}
