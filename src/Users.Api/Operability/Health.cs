using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Users.Api.Operability;

/// <summary>
/// /health/live: the process answers. /health/ready: PostgreSQL, RabbitMQ and the outbox backlog are fine,
/// so the instance can take traffic. Both answer JSON listing each check.
/// </summary>
public static class Health
{
    public const string Live = "live";
    public const string Ready = "ready";

    public static IServiceCollection AddUsersHealthChecks(this IServiceCollection services, IConfiguration config,
        string postgres, string rabbitMq, string schema)
    {
        var threshold = config.GetValue("Health:OutboxBacklogThreshold", 1000L);
        services.AddSingleton(new OutboxBacklog(postgres, schema));
        services.AddHostedService<OutboxBacklogSampler>();
        // Created by the container so that its connection closes with the host.
        services.AddSingleton(_ => new RabbitMqHealthCheck(rabbitMq));
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [Live])
            .AddNpgSql(postgres, name: "postgresql", tags: [Ready], timeout: TimeSpan.FromSeconds(3))
            .Add(new HealthCheckRegistration("rabbitmq", sp => sp.GetRequiredService<RabbitMqHealthCheck>(),
                HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5)))
            .Add(new HealthCheckRegistration("outbox",
                sp => new OutboxBacklogHealthCheck(sp.GetRequiredService<OutboxBacklog>(), threshold),
                HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(3)));
        return services;
    }

    public static void MapUsersHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Options(Live)).AllowAnonymous();
        app.MapHealthChecks("/health/ready", Options(Ready)).AllowAnonymous();
    }

    public static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse,
    };
}
