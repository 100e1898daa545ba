using MassTransit;

namespace Users.Notifications.Webhooks;

/// <summary>The queue the API's notices about webhook endpoints arrive on (bound to the notice type's exchange).</summary>
public static class WebhookNoticesEndpoint
{
    public const string Queue = "users-webhook-notices";

    public static void AddWebhookNoticeConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<WebhookEndpointDisabledConsumer>();

    public static void ConfigureWebhookNotices(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context, bool quorumQueue) =>
        cfg.ReceiveEndpoint(Queue, endpoint =>
        {
            if (quorumQueue)
                endpoint.SetQuorumQueue();
            // SMTP away: try again with growing pauses; after the last, the notice waits in the _error queue.
            endpoint.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30),
                TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)));
            endpoint.ConfigureConsumer<WebhookEndpointDisabledConsumer>(context);
        });
}
