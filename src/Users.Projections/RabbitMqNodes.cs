namespace Users.Projections;

/// <summary>
/// Where both hosts find RabbitMQ: <c>ConnectionStrings:RabbitMq</c> is one amqp:// URI, or several separated by
/// commas, one per node of a cluster. Credentials and virtual host come from the first; the client connects to any
/// node that answers and reconnects to another when its node goes.
/// <c>RabbitMq:QueueType</c> is <c>quorum</c> (the default: replicated on every node of a cluster; a single node runs
/// them too) or <c>classic</c>, for a broker whose queues were declared classic (RabbitMQ refuses to redeclare a queue
/// with another type), such as the single dev broker.
/// </summary>
public sealed record RabbitMqNodes(IReadOnlyList<Uri> Nodes, bool QuorumQueues)
{
    public Uri First => Nodes[0];

    public static RabbitMqNodes From(string? connectionString, string? queueType)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:RabbitMq is required (one amqp:// URI, or one per cluster node, comma-separated).");
        var nodes = connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(node => new Uri(node))
            .ToList();
        var quorum = (queueType ?? "quorum").ToLowerInvariant() switch
        {
            "quorum" => true,
            "classic" => false,
            _ => throw new InvalidOperationException($"RabbitMq:QueueType must be 'quorum' or 'classic', not '{queueType}'."),
        };
        return new RabbitMqNodes(nodes, quorum);
    }

    /// <summary>Host and AMQP port of each node (5672 where the URI names none).</summary>
    public IEnumerable<(string Host, int Port)> Endpoints => Nodes.Select(node => (node.Host, node.IsDefaultPort ? 5672 : node.Port));
}
