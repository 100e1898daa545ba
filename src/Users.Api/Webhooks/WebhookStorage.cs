using Npgsql;

namespace Users.Api.Webhooks;

/// <summary>Where the delivery rows and endpoint documents live, for the statements Marten's API does not express.</summary>
public sealed class WebhookStorage(NpgsqlDataSource database, string schema)
{
    public NpgsqlDataSource Database { get; } = database;
    public string Deliveries { get; } = $"{schema}.{WebhookDeliveryTable.Name}";
    public string Endpoints { get; } = $"{schema}.mt_doc_{WebhookDeliveryTable.EndpointsAlias}";

    public async Task ExecuteAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(ct);
    }
}
