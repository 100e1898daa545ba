using System.Diagnostics;
using System.Diagnostics.Metrics;
using Marten;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Users.Contracts;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Notifications.Operability;

/// <summary>
/// The worker's traces (MassTransit consume, Marten, the SMTP send), metrics (Meter "Users.Notifications":
/// consumer lag) and /health/live + /health/ready (PostgreSQL, RabbitMQ bus), on the logs, exporters and health
/// answers every host shares (<see cref="HostDefaults"/>, <see cref="HostHealth"/>).
/// </summary>
public static class NotificationsTelemetry
{
    public const string Name = "Users.Notifications";
    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Seconds from the event's commit to its consumption here.</summary>
    public static readonly Histogram<double> ConsumerLag = Meter.CreateHistogram<double>("users.consumer.lag", "s",
        "Time from an event's commit (occurred_at) to its consumption.");

    public static void AddNotificationsOperability(this WebApplicationBuilder builder, string postgres)
    {
        builder.Services.ConfigureMarten((services, o) => o.ObserveWithoutPersonalData(services.GetRequiredService<ILoggerFactory>()));
        builder.AddServiceDefaults("users-notifications",
            tracing => tracing.AddSource("MassTransit", "Marten", Name),
            metrics => metrics.AddMeter(Name, "MassTransit", "Marten"));
        builder.Services.AddDefaultHealthChecks(postgres);
    }

    /// <summary>MassTransit's own bus check (are the receive endpoints connected to RabbitMQ?) joins /health/ready.</summary>
    public static void AddBusReadiness(this IBusRegistrationConfigurator bus) =>
        bus.ConfigureHealthCheckOptions(o =>
        {
            o.Name = "rabbitmq";
            o.MinimalFailureStatus = HealthStatus.Unhealthy;
            o.Tags.Add(HostHealth.Ready);
        });

    // MassTransit calls a bus whose consumer endpoints lost the broker "Degraded": such a worker consumes
    // nothing, so it is not ready. (Unlike the API's: no load balancer sends the worker traffic.)
    public static void MapNotificationsHealth(this WebApplication app) => app.MapDefaultHealth(degradedIsReady: false);
}

/// <summary>Records the consumer lag of every integration event this worker consumes.</summary>
public sealed class ConsumerLagObserver(TimeProvider clock) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is UserEvent e && e.OccurredAt != default)
            NotificationsTelemetry.ConsumerLag.Record((clock.GetUtcNow() - e.OccurredAt).TotalSeconds,
                new KeyValuePair<string, object?>("message_type", typeof(T).Name));
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
