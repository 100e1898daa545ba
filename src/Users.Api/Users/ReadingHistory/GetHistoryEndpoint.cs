using System.Text.Json.Nodes;
using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.History;

namespace Users.Api.Users.ReadingHistory;

/// <summary>
/// The user's events, oldest first, each with its metadata and the field-level changes it made, computed by
/// replaying the stream (secrets redacted). Readable for erased users too: who/when/which fields, values masked.
/// </summary>
public static class GetHistoryEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static void MapGetHistory(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/users/{id:guid}/history", Handle)
            .RequireProfileAccess(Access.Read)
            .WithName("GetUserHistory")
            .WithSummary("A user's events, oldest first, with field changes {field: {from, to}}; paged by after_version and limit.")
            .Produces<HistoryPage>();

    private static async Task<IResult> Handle(Guid id, HttpContext http, IQuerySession query, CancellationToken ct)
    {
        if (!QueryNumbers.TryRead(http.Request.Query, "after_version", 0, 0, int.MaxValue, out var afterVersion)
            || !QueryNumbers.TryRead(http.Request.Query, "limit", DefaultLimit, 1, MaxLimit, out var limit))
            return ApiProblem.BadRequest($"after_version must be a whole number from 0; limit from 1 to {MaxLimit}.");

        // "from" needs the state before each event, so the page is replayed from the stream's start.
        // One more event than the page tells whether a next page exists.
        var events = await query.Events.FetchStreamAsync(id, version: afterVersion + limit + 1, token: ct);
        if (events.Count == 0)
            return ApiProblem.NotFound(id);

        var changes = FieldHistory.Replay(events.Select(e => e.Data));
        var page = new List<HistoryEntry>();
        for (var i = 0; i < events.Count && page.Count < limit; i++)
        {
            if (events[i].Version <= afterVersion)
                continue;
            var fields = new Dictionary<string, FieldChangeView>();
            foreach (var (field, change) in changes[i])
                fields[field] = new FieldChangeView(change.From?.DeepClone(), change.To?.DeepClone());
            page.Add(HistoryEntry.Of(events[i], fields));
        }

        var last = page.Count > 0 ? page[^1].Version : afterVersion;
        var hasMore = events.Any(e => e.Version > last);
        return TypedResults.Ok(new HistoryPage(id, page,
            hasMore ? $"/api/v1/users/{id}/history?after_version={last}&limit={limit}" : null));
    }
}
