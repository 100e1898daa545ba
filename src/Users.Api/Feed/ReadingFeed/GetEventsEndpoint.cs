using System.Text.Json;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;

namespace Users.Api.Feed.ReadingFeed;

/// <summary>
/// Every user's events in global sequence order, for auditors: a JSON page with a cursor, or the whole
/// remainder as NDJSON, written line by line as PostgreSQL hands the rows over.
/// </summary>
public static class GetEventsEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const string NdJson = "application/x-ndjson";

    public static void MapGetEvents(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/events", Handle)
            .RequireAuthorization(AuthSetup.ReadAllPolicy)
            .WithName("GetEvents")
            .WithSummary("All events in global order after a sequence number; Accept: application/x-ndjson streams them.")
            .Answers<FeedPage>(StatusCodes.Status200OK, "A page of events and the cursor of the next; as NDJSON, one event per line.");

    private static async Task<IResult> Handle(HttpContext http, IQuerySession query, IDocumentStore store, CancellationToken ct)
    {
        var streaming = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NdJson, StringComparison.OrdinalIgnoreCase));
        // NDJSON reads to the end unless told otherwise; a JSON page is bounded.
        if (!QueryNumbers.TryRead(http.Request.Query, "after", 0, 0, long.MaxValue, out var after)
            || !QueryNumbers.TryRead(http.Request.Query, "limit", streaming ? long.MaxValue : DefaultLimit, 1,
                streaming ? long.MaxValue : MaxLimit, out var limit))
            return ApiProblem.BadRequest($"after must be a sequence number from 0; limit from 1 to {MaxLimit} (unbounded for NDJSON).");

        // Sequences are taken before commit, so a later one can commit first: reading only up to the settled
        // tail (below which every append has committed or rolled back) means a cursor never skips one.
        var highWater = await SettledTailAsync(store, after, limit, ct);
        var events = query.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > after && e.Sequence <= highWater)
            .OrderBy(e => e.Sequence);
        var serializer = store.Options.Serializer();

        if (streaming)
            return new NdJsonResult(events.Take(limit > int.MaxValue ? int.MaxValue : (int)limit), serializer);

        var page = await events.Take((int)limit).ToListAsync(ct);
        var last = page.Count > 0 ? page[^1].Sequence : after;
        return TypedResults.Ok(new FeedPage([.. page.Select(e => FeedEntry.Of(e, serializer))], highWater,
            $"/api/v1/events?after={last}&limit={limit}"));
    }

    /// <summary>
    /// The highest sequence up to which no append can still commit. A gap in the sequence is an append that
    /// rolled back, or one still running: it is passed only once no writing transaction that could hold it
    /// is open, i.e. none started before the event after the gap was appended (with a margin for the time
    /// between an event's timestamp and its insert). So a slow commit holds the tail back until it settles,
    /// and a rolled-back one holds it only while older writers run.
    /// </summary>
    private static async Task<long> SettledTailAsync(IDocumentStore store, long after, long rows, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            select (select min(xact_start) from pg_stat_activity
                    where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()),
                   seq_id, timestamp
            from {schema}.mt_events where seq_id > @after order by seq_id limit @rows
            """;
        command.Parameters.AddWithValue("after", after);
        // A page needs the tail only as far as its own rows.
        command.Parameters.AddWithValue("rows", rows);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tail = after;
        while (await reader.ReadAsync(ct))
        {
            var sequence = reader.GetInt64(1);
            if (sequence != tail + 1)
            {
                var oldestWriter = reader.IsDBNull(0) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(0);
                var appendedAt = reader.GetFieldValue<DateTimeOffset>(2);
                if (oldestWriter is { } started && started <= appendedAt + GapMargin)
                    break;
            }
            tail = sequence;
        }
        return tail;
    }

    private static readonly TimeSpan GapMargin = TimeSpan.FromSeconds(5);

    private sealed class NdJsonResult(IQueryable<IEvent> events, ISerializer serializer) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var lineOptions = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            http.Response.ContentType = NdJson;
            var ct = http.RequestAborted;
            var body = http.Response.Body;
            var newline = "\n"u8.ToArray();
            var written = 0;
            await foreach (var e in events.ToAsyncEnumerable(ct))
            {
                await body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(FeedEntry.Of(e, serializer), lineOptions), ct);
                await body.WriteAsync(newline, ct);
                // Flush in small batches: the client sees progress and the server holds little.
                if (++written % 100 == 0)
                    await body.FlushAsync(ct);
            }
            await body.FlushAsync(ct);
        }
    }
}
