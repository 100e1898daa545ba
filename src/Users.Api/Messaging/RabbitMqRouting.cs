using Wolverine;
using Wolverine.RabbitMQ;

namespace Users.Api.Messaging;

public static class RabbitMqRouting
{
    /// <summary>
    /// Publishes each contract in MassTransit's envelope to MassTransit's default exchange for its type,
    /// so a MassTransit consumer needs nothing but our contract types.
    /// </summary>
    public static void RouteIntegrationEvents(this WolverineOptions opts, string rabbitMqUri)
    {
        opts.UseRabbitMq(new Uri(rabbitMqUri)).AutoProvision();
        foreach (var contract in IntegrationEvents.ContractTypes)
        {
            opts.Publish(rule =>
            {
                rule.Message(contract);
                rule.ToRabbitExchange(IntegrationEvents.ExchangeName(contract))
                    .UseMassTransitInterop()
                    .UseDurableOutbox();
            });
        }
    }
}
