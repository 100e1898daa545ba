using Marten;
using Users.Api.Http;
using Users.Domain.Events;

namespace Users.Api.Users.ErasingUser;

/// <summary>
/// The client address and user agent in the <see cref="Provenance"/> header of each of the user's events become
/// "[erased]", as event data masking does to the data (Marten's masking rewrites data, and can only set a header to
/// one fixed value). The credential, route and dialect stay: they say how the change came, not who was behind it.
/// </summary>
public static class ProvenanceErasure
{
    public static async Task ApplyAsync(IDocumentStore store, Guid userId, CancellationToken ct)
    {
        var events = $"{store.Options.Events.DatabaseSchemaName}.mt_events";
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($$"""
            update {{events}} set headers = jsonb_set(headers, '{{{Provenance.Header}}}', headers->'{{Provenance.Header}}'
                || case when jsonb_typeof(headers #> '{{{Provenance.Header}},client_ip}') = 'string'
                        then jsonb_build_object('client_ip', ?::text) else '{}'::jsonb end
                || case when jsonb_typeof(headers #> '{{{Provenance.Header}},user_agent}') = 'string'
                        then jsonb_build_object('user_agent', ?::text) else '{}'::jsonb end)
            where stream_id = ? and jsonb_typeof(headers->'{{Provenance.Header}}') = 'object'
            """, PersonalData.Erased, PersonalData.Erased, userId);
        await session.SaveChangesAsync(ct);
    }
}
