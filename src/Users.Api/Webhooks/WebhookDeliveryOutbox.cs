using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Users.Projections;

namespace Users.Api.Webhooks;

/// <summary>
/// Beside <see cref="Messaging.IntegrationEventOutbox"/>: for every appended event that maps to a contract, one
/// delivery row per enabled endpoint that wants its type, written by one SQL statement in the append's own batch,
/// so a delivery exists exactly when its event was committed, and no endpoint list is read or cached in process.
/// </summary>
public sealed class WebhookDeliveryOutbox(string schema, WebhookDispatchSignal signal) : DocumentSessionListenerBase
{
    private readonly string _insert = $"""
        insert into {schema}.{WebhookDeliveryTable.Name} (endpoint_id, event_id, event_type, user_id, version, body)
        select e.id, ^, ^, ^, ^, ^ from {schema}.mt_doc_{WebhookDeliveryTable.EndpointsAlias} e
        where (e.data ->> 'enabled')::boolean
          and (jsonb_array_length(e.data -> 'event_types') = 0 or jsonb_exists(e.data -> 'event_types', ^))
        """;

    // Once a user is erased, what was already sent to them is forgotten too; the log keeps ids and outcomes.
    private readonly string _forgetErased = $"""
        update {schema}.{WebhookDeliveryTable.Name} set body = null
        where user_id = ^ and (delivered_at is not null or failed_at is not null)
        """;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var e in stream.Events)
            {
                if (IntegrationEvents.From(e) is not { } message)
                    continue;
                var type = message.GetType().Name;
                var body = JsonSerializer.Serialize(message, message.GetType());
                session.QueueSqlCommand('^', _insert, message.EventId, type, message.UserId, message.Version, body, type);
                if (e.Data is Domain.Events.UserErased)
                    session.QueueSqlCommand('^', _forgetErased, message.UserId);
            }
        }
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        // This node's dispatcher looks at once instead of at its next poll; other nodes find the rows by polling.
        if (commit.GetEvents().Any())
            signal.Wake();
        return Task.CompletedTask;
    }
}
