using Marten;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Api.Operability;

/// <summary>
/// The API's traces (HTTP in, Marten, Wolverine) and metrics (Meter "Users.Api"), on the logs and exporters
/// every host shares (<see cref="HostDefaults"/>).
/// </summary>
public static class Telemetry
{
    public static WebApplicationBuilder AddUsersTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten((services, o) => o.ObserveWithoutPersonalData(services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<UsersMetrics>();
        return builder.AddServiceDefaults("users-api",
            tracing => tracing.AddSource("Marten", "Wolverine", UsersMetrics.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsNoise(http.Request.Path))
                .AddHttpClientInstrumentation(),
            metrics => metrics.AddMeter(UsersMetrics.Name, "Marten", "Wolverine")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
    }

    // Probes and static files would drown the traces that matter.
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/openapi")
        || path.StartsWithSegments("/asyncapi") || Path.HasExtension(path.Value);
}
