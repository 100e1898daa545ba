using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Users.ServiceDefaults;

/// <summary>
/// /health/live (the process answers) and /health/ready (PostgreSQL answers, plus what each host adds with the
/// <see cref="Ready"/> tag), both answering <see cref="HealthAnswer"/>'s body and open to anyone.
/// </summary>
public static class HostHealth
{
    public const string Live = "live";
    public const string Ready = "ready";

    /// <summary>The checks both hosts have; the returned builder takes the host's own.</summary>
    public static IHealthChecksBuilder AddDefaultHealthChecks(this IServiceCollection services, string postgres) =>
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [Live])
            .AddNpgSql(postgres, name: "postgresql", tags: [Ready], timeout: TimeSpan.FromSeconds(3));

    /// <param name="degradedIsReady">Whether a Degraded instance still answers 200 (it can take traffic).</param>
    public static void MapDefaultHealth(this IEndpointRouteBuilder app, bool degradedIsReady)
    {
        app.MapHealthChecks("/health/live", Options(Live, degradedIsReady)).AllowAnonymous();
        app.MapHealthChecks("/health/ready", Options(Ready, degradedIsReady)).AllowAnonymous();
    }

    private static HealthCheckOptions Options(string tag, bool degradedIsReady) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthAnswer.WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = degradedIsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
