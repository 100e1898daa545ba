using Microsoft.Extensions.Diagnostics.HealthChecks;
using Users.ServiceDefaults;

namespace Users.Api.Operability;

/// <summary>
/// /health/live: the process answers. /health/ready: PostgreSQL answers, so the instance can take traffic
/// (503 without it). RabbitMQ away or an outbox backlog make it Degraded, still 200: writes go on into the outbox,
/// which is what it is for, and taking every node out of the load balancer would turn a broker outage into a
/// full one. Both answer JSON listing each check's status only (<c>HealthAnswer</c>).
/// </summary>
public static class Health
{
    public static IServiceCollection AddUsersHealthChecks(this IServiceCollection services, IConfiguration config,
        string postgres, string rabbitMq, string schema)
    {
        var threshold = config.GetValue("Health:OutboxBacklogThreshold", 1000L);
        services.AddSingleton(new OutboxBacklog(postgres, schema));
        services.AddHostedService<OutboxBacklogSampler>();
        // Created by the container so that its connection closes with the host.
        services.AddSingleton(_ => new RabbitMqHealthCheck(rabbitMq));
        services.AddDefaultHealthChecks(postgres)
            .Add(new HealthCheckRegistration("rabbitmq", sp => sp.GetRequiredService<RabbitMqHealthCheck>(),
                HealthStatus.Degraded, [HostHealth.Ready], TimeSpan.FromSeconds(5)))
            .Add(new HealthCheckRegistration("outbox",
                sp => new OutboxBacklogHealthCheck(sp.GetRequiredService<OutboxBacklog>(), threshold),
                HealthStatus.Degraded, [HostHealth.Ready], TimeSpan.FromSeconds(3)));
        return services;
    }

    public static void MapUsersHealth(this IEndpointRouteBuilder app) => app.MapDefaultHealth(degradedIsReady: true);
}
