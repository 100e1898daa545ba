using Marten;
using Npgsql;
using Users.Api.Auth;
using Users.Api.Webhooks.DeletingEndpoint;
using Users.Api.Webhooks.EnablingEndpoint;
using Users.Api.Webhooks.ListingEndpoints;
using Users.Api.Webhooks.ReadingDeliveries;
using Users.Api.Webhooks.RegisteringEndpoint;
using Users.Api.Webhooks.Replaying;
using Users.Api.Webhooks.RotatingSecret;
using Users.Commands;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Users.Api.Webhooks;

/// <summary>Signed webhooks (Standard Webhooks) fed by the same appends as RabbitMQ: docs/events.md, "Webhooks".</summary>
public static class WebhooksSetup
{
    public const string Route = "/api/v1/webhooks";

    /// <summary>Settings, the SSRF policy and the dispatcher; returns the signal the append listener wakes it with.</summary>
    public static WebhookDispatchSignal AddWebhooks(this WebApplicationBuilder builder, string postgres, string schema)
    {
        var settings = WebhookSettings.From(builder.Configuration);
        var signal = new WebhookDispatchSignal();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(signal);
        builder.Services.AddSingleton(new OutboundAddressPolicy(settings));
        builder.Services.AddSingleton(new WebhookStorage(NpgsqlDataSource.Create(postgres), schema));
        builder.Services.AddHostedService<WebhookDispatcher>();
        return signal;
    }

    /// <summary>The endpoint documents, the delivery table, and the listener that writes deliveries with each append.</summary>
    public static void StoreWebhooks(this StoreOptions opts, string schema, WebhookDispatchSignal signal)
    {
        opts.Schema.For<WebhookEndpoint>().DocumentAlias(WebhookDeliveryTable.EndpointsAlias).UseOptimisticConcurrency(true);
        opts.Storage.ExtendedSchemaObjects.Add(WebhookDeliveryTable.Define(schema));
        opts.Listeners.Add(new WebhookDeliveryOutbox(schema, signal));
    }

    /// <summary>The admin's notice of a disabled endpoint goes to the worker in MassTransit's envelope, through the outbox.</summary>
    public static void RouteWebhookNotices(this WolverineOptions opts)
    {
        opts.ConfigureRabbitMq().DeclareExchange(WebhookEndpointDisabled.Exchange, e => e.ExchangeType = ExchangeType.Fanout);
        opts.PublishMessage<WebhookEndpointDisabled>().ToRabbitExchange(WebhookEndpointDisabled.Exchange).UseMassTransitInterop();
    }

    public static void MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Grouped on /api/v1 (not on Route) so that the collection itself is "/api/v1/webhooks", without a trailing slash.
        var admin = app.MapGroup("/api/v1").RequireAuthorization(AuthSetup.AdminPolicy).WithTags("Webhooks");
        admin.MapRegisterEndpoint();
        admin.MapListEndpoints();
        admin.MapRotateSecret();
        admin.MapEnableEndpoint();
        admin.MapDeleteEndpoint();
        admin.MapGetDeliveries();
        admin.MapReplay();
    }
}
