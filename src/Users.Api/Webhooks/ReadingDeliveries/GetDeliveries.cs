using Marten;
using Npgsql;
using Users.Api.Http;

namespace Users.Api.Webhooks.ReadingDeliveries;

/// <summary>An endpoint's delivery log, paged by delivery id.</summary>
public static class GetDeliveries
{
    public const int MaxLimit = 1000;

    public static void MapGetDeliveries(this RouteGroupBuilder admin) =>
        admin.MapGet("/webhooks/{id:guid}/deliveries", Handle)
            .WithName("GetWebhookDeliveries")
            .WithSummary("The endpoint's delivery log (admin), oldest first: event id, type, user, version, attempts, last status or error, delivered or failed at. ?after=<id>&limit=<1..1000>.")
            .Produces<WebhookDeliveryPage>();

    private static async Task<IResult> Handle(Guid id, HttpContext http, IQuerySession query, WebhookStorage storage, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!QueryNumbers.TryRead(http.Request.Query, "after", 0, 0, long.MaxValue, out var after))
            errors.Add(new FieldError("/after", "'after' is a delivery id (a whole number)."));
        if (!QueryNumbers.TryRead(http.Request.Query, "limit", 100, 1, MaxLimit, out var limit))
            errors.Add(new FieldError("/limit", $"'limit' is a whole number from 1 to {MaxLimit}."));
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);
        if (await query.LoadAsync<WebhookEndpoint>(id, ct) is null)
            return WebhookEndpointView.NotFound(id);

        await using var command = storage.Database.CreateCommand($"""
            select id, event_id, event_type, user_id, version, replay, attempts, last_status, last_error, created_at,
              last_attempt_at, due_at, delivered_at, failed_at
            from {storage.Deliveries} where endpoint_id = $1 and id > $2 order by id limit $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<WebhookDeliveryView>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                items.Add(new WebhookDeliveryView(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetGuid(3),
                    reader.GetInt64(4), reader.GetBoolean(5), reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetFieldValue<DateTimeOffset>(9), Nullable(reader, 10), reader.GetFieldValue<DateTimeOffset>(11),
                    Nullable(reader, 12), Nullable(reader, 13)));
        }
        var more = items.Count > limit;
        if (more)
            items.RemoveAt(items.Count - 1);
        return TypedResults.Ok(new WebhookDeliveryPage(items, more ? items[^1].Id : null));
    }

    private static DateTimeOffset? Nullable(NpgsqlDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
}
