using Microsoft.Extensions.Configuration;

namespace Users.ServiceDefaults;

/// <summary>Where both hosts find PostgreSQL, RabbitMQ and the store's schema; a missing connection string stops start-up.</summary>
public sealed record HostConnections(string Postgres, string RabbitMq, string Schema)
{
    public static HostConnections From(IConfiguration config, string defaultSchema) => new(
        config.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required."),
        config.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is required (one amqp:// URI, or one per cluster node, comma-separated)."),
        config["Marten:Schema"] ?? defaultSchema);
}
