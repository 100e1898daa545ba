using Weasel.Postgresql.Tables;

namespace Users.Api.Webhooks;

/// <summary>
/// The deliveries owed to webhook endpoints: one row per (event, endpoint), written in the append's transaction
/// (<see cref="WebhookDeliveryOutbox"/>) and worked off by <see cref="WebhookDispatcher"/>. A table of its own
/// rather than a document, since the dispatcher claims rows with <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public static class WebhookDeliveryTable
{
    public const string Name = "webhook_deliveries";

    /// <summary>The endpoints' document table (its name fixed by the alias, since the raw SQL below names it).</summary>
    public const string EndpointsAlias = "webhookendpoint";

    public static Table Define(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<long>("id").AsPrimaryKey().AutoIncrement();
        table.AddColumn<Guid>("endpoint_id").NotNull();
        table.AddColumn<Guid>("event_id").NotNull();
        table.AddColumn<string>("event_type").NotNull();
        table.AddColumn<Guid>("user_id").NotNull();
        table.AddColumn<long>("version").NotNull();
        // The contract's JSON as it is sent; cleared once sent to a user who has since been erased.
        table.AddColumn("body", "text");
        table.AddColumn<bool>("replay").NotNull().DefaultValueByExpression("false");
        table.AddColumn("created_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("due_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        // A node that claimed the row sends it before this; after it (the node died) another node may.
        table.AddColumn("locked_until", "timestamp with time zone");
        table.AddColumn<int>("attempts").NotNull().DefaultValueByExpression("0");
        table.AddColumn("last_status", "integer");
        table.AddColumn("last_error", "text");
        table.AddColumn("last_attempt_at", "timestamp with time zone");
        table.AddColumn("delivered_at", "timestamp with time zone");
        table.AddColumn("failed_at", "timestamp with time zone");
        // The head-of-line check (an earlier undelivered row of the same endpoint and user) and the paged log.
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_endpoint_user") { Columns = ["endpoint_id", "user_id", "id"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_due") { Columns = ["due_at"] });
        return table;
    }
}
