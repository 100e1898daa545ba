using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Users.Api.Operability;
using Users.Projections;

namespace Users.Api.Messaging;

/// <summary>
/// Writes every append's integration events into Wolverine's durable outbox inside the append's own
/// transaction, whoever appends: the session's message sink (Wolverine's, by <c>IntegrateWithWolverine</c>)
/// queues the outbox rows into the same batch as the events and the inline projections, and sends them
/// once the commit succeeded. So nothing committed is left unpublished, nothing unpublished is committed,
/// and no delivery waits on the event store's high-water mark (the async daemon is not involved).
/// Each message carries its CloudEvents attributes as headers (<see cref="CloudEventAttributes"/>).
/// </summary>
public sealed class IntegrationEventOutbox(CloudEventAttributes cloudEvents) : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        IMessageSink? sink = null;
        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var e in stream.Events)
            {
                // Versions are assigned before this runs (a new stream, or FetchForWriting's expected version).
                // An append without a known version could not promise consumers a gapless order: refuse it.
                if (e.Version <= 0)
                    throw new InvalidOperationException(
                        $"An event of stream {stream.Id} has no version before commit: append through FetchForWriting or StartStream.");
                if (IntegrationEvents.From(e) is not { } message)
                    continue;

                sink ??= await ((IStorageOperations)session).GetOrStartMessageSink();
                using var activity = UsersMetrics.Activities.StartActivity($"outbox {message.GetType().Name}", ActivityKind.Producer);
                activity?.SetTag("users.event_id", e.Id);
                activity?.SetTag("users.version", e.Version);
                UsersMetrics.Events.Add(1, new KeyValuePair<string, object?>("type", e.EventTypeName));
                // No correlation id on the envelope: ours is free text, MassTransit's envelope field is a UUID. The
                // contract carries it (correlation_id), and the send continues the request's trace by itself.
                // Headers ride in the outbox row with the message and become AMQP headers when it is sent.
                var metadata = new MessageMetadata(session.TenantId);
                foreach (var (name, value) in cloudEvents.HeadersOf(message))
                    metadata = metadata.WithHeader(name, value);
                await sink.PublishAsync(message, metadata);
            }
        }
    }
}
