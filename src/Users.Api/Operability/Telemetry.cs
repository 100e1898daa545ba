using Marten;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Users.Projections;

namespace Users.Api.Operability;

/// <summary>
/// Traces (HTTP in, Marten, Wolverine, the relay) and metrics (Meter "Users.Api"), exported over OTLP when
/// Otel:Endpoint is set and to the console in Development. Logs: JSON lines outside Development.
/// </summary>
public static class Telemetry
{
    public static WebApplicationBuilder AddUsersTelemetry(this WebApplicationBuilder builder)
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
        builder.Services.AddSingleton<UsersMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["Otel:ServiceName"] ?? "users-api"))
            .WithTracing(tracing =>
            {
                tracing.AddSource("Marten", "Wolverine", UsersMetrics.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsNoise(http.Request.Path))
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(endpoint))
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(UsersMetrics.Name, "Marten", "Wolverine")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrEmpty(endpoint))
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000);
            });
        return builder;
    }

    // Probes and static files would drown the traces that matter.
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/openapi")
        || Path.HasExtension(path.Value);
}
