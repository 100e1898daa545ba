using MassTransit;
using Users.Contracts;

namespace Users.Notifications.Consumers;

/// <summary>
/// Opens a log scope with the event's correlation id (the HTTP request's) around each consumer, so the
/// mail sender's lines and any failure can be traced back to the request that caused them.
/// </summary>
public sealed class CorrelationLogScope<T>(ILogger<CorrelationLogScope<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not UserEvent e)
        {
            await next.Send(context);
            return;
        }
        // A message-template scope: readable in the console, structured (CorrelationId, EventId) elsewhere.
        using (logger.BeginScope("CorrelationId:{CorrelationId} EventId:{EventId}", e.CorrelationId, e.EventId))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("correlationLogScope");
}
