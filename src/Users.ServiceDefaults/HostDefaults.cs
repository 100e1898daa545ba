using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Users.ServiceDefaults;

/// <summary>
/// Logs and telemetry as every host of this service has them: JSON lines outside Development; traces and metrics
/// exported over OTLP when Otel:Endpoint is set and to the console in Development (Otel:Console=false silences it).
/// Each host names its own sources and meters.
/// </summary>
public static class HostDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName,
        Action<TracerProviderBuilder> tracing, Action<MeterProviderBuilder> metrics)
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
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["Otel:ServiceName"] ?? serviceName))
            .WithTracing(t =>
            {
                tracing(t);
                if (!string.IsNullOrEmpty(endpoint))
                    t.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    t.AddConsoleExporter();
            })
            .WithMetrics(m =>
            {
                metrics(m);
                if (!string.IsNullOrEmpty(endpoint))
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                if (console)
                    m.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000);
            });
        return builder;
    }
}
