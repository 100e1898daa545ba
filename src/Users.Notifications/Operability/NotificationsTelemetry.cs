using System.Diagnostics;
using System.Diagnostics.Metrics;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Users.Contracts;
using Users.Projections;

namespace Users.Notifications.Operability;

/// <summary>
/// The worker's traces (MassTransit consume, Marten, the SMTP send), metrics (Meter "Users.Notifications":
/// consumer lag), JSON logs outside Development, and /health/live + /health/ready (PostgreSQL, RabbitMQ bus).
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
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var endpoint = builder.Configuration["Otel:Endpoint"];
        var console = builder.Environment.IsDevelopment() && builder.Configuration.GetValue("Otel:Console", true);
        builder.Services.ConfigureMarten((services, o) => o.ObserveWithoutPersonalData(services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["Otel:ServiceName"] ?? "users-notifications"))
            .WithTracing(tracing =>
            {
                tracing.AddSource("MassTransit", "Marten", Name);
                if (!string.IsNullOrEmpty(endpoint))
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Name, "MassTransit", "Marten");
                if (!string.IsNullOrEmpty(endpoint))
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000);
            });

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"])
            .AddNpgSql(postgres, name: "postgresql", tags: ["ready"], timeout: TimeSpan.FromSeconds(3));
    }

    /// <summary>MassTransit's own bus check (are the receive endpoints connected to RabbitMQ?) joins /health/ready.</summary>
    public static void AddBusReadiness(this IBusRegistrationConfigurator bus) =>
        bus.ConfigureHealthCheckOptions(o =>
        {
            o.Name = "rabbitmq";
            o.MinimalFailureStatus = HealthStatus.Unhealthy;
            o.Tags.Add("ready");
        });

    public static void MapNotificationsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", Options("live"));
        app.MapHealthChecks("/health/ready", Options("ready"));
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = global::Users.Operability.HealthAnswer.WriteAsync,
        // MassTransit calls a bus whose consumer endpoints lost the broker "Degraded": such a worker consumes
        // nothing, so it is not ready. (Unlike the API's: no load balancer sends the worker traffic.)
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
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
