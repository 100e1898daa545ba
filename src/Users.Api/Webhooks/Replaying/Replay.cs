using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;

namespace Users.Api.Webhooks.Replaying;

/// <summary>
/// Queues the events again for one endpoint, read from the event store (what is stored now: an erased user's events
/// go out masked), in commit order and behind what the endpoint already has queued, so per-user order holds.
/// </summary>
public static class Replay
{
    public const int MaxEvents = 10_000;
    private static readonly HashSet<string> Fields = ["from_time", "from_sequence", "user_id", "from_version"];

    public static void MapReplay(this RouteGroupBuilder admin) =>
        admin.MapPost("/webhooks/{id:guid}/replay", Handle)
            .WithName("ReplayWebhookDeliveries")
            .WithSummary($"Send the endpoint's events again (admin) from a time, a global sequence, or one user's version; at most {MaxEvents} events per request.")
            .DocumentsBody<ReplayRequest>()
            .Produces<ReplayAccepted>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity, "Not exactly one starting point, or a field is invalid.");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IDocumentSession session, WebhookStorage storage, CancellationToken ct)
    {
        var (parsed, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;
        var body = parsed!;
        var errors = body.Where(kv => !Fields.Contains(kv.Key))
            .Select(kv => new FieldError("/" + kv.Key, $"'{kv.Key}' is not a known field.")).ToList();
        DateTimeOffset? fromTime = null;
        if (body["from_time"] is { } timeNode)
        {
            if (timeNode.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(timeNode.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t))
                fromTime = t.ToUniversalTime();
            else
                errors.Add(new FieldError("/from_time", "'from_time' is a date-time (ISO 8601)."));
        }
        var fromSequence = WholeNumber(body, "from_sequence", errors);
        var fromVersion = WholeNumber(body, "from_version", errors);
        Guid? userId = null;
        if (body["user_id"] is { } userNode)
        {
            if (userNode.GetValueKind() == JsonValueKind.String && Guid.TryParse(userNode.GetValue<string>(), out var u))
                userId = u;
            else
                errors.Add(new FieldError("/user_id", "'user_id' is a user id (UUID)."));
        }
        var starts = new[] { body.ContainsKey("from_time"), body.ContainsKey("from_sequence"), body.ContainsKey("from_version") }.Count(x => x);
        if (starts != 1)
            errors.Add(new FieldError("", "Give exactly one of 'from_time', 'from_sequence' or 'from_version' (with 'user_id')."));
        if (body.ContainsKey("from_version") && !body.ContainsKey("user_id"))
            errors.Add(new FieldError("/user_id", "'from_version' counts in one user's stream: 'user_id' is required with it."));
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        if (await session.LoadAsync<WebhookEndpoint>(id, ct) is not { } endpoint)
            return WebhookEndpointView.NotFound(id);

        IQueryable<IEvent> events = session.Events.QueryAllRawEvents();
        if (userId is { } user)
            events = events.Where(e => e.StreamId == user);
        if (fromTime is { } time)
            events = events.Where(e => e.Timestamp >= time);
        if (fromSequence is { } sequence)
            events = events.Where(e => e.Sequence >= sequence);
        if (fromVersion is { } version)
            events = events.Where(e => e.Version >= version);
        var page = (await events.OrderBy(e => e.Sequence).Take(MaxEvents + 1).ToListAsync(ct)).ToList();
        var more = page.Count > MaxEvents;
        if (more)
            page.RemoveAt(page.Count - 1);

        var queued = 0;
        foreach (var e in page)
        {
            if (IntegrationEvents.From(e) is not { } message)
                continue;
            var type = message.GetType().Name;
            if (endpoint.EventTypes.Count > 0 && !endpoint.EventTypes.Contains(type))
                continue;
            session.QueueSqlCommand($"""
                insert into {storage.Deliveries} (endpoint_id, event_id, event_type, user_id, version, body, replay)
                values (?, ?, ?, ?, ?, ?, true)
                """, id, message.EventId, type, message.UserId, message.Version, JsonSerializer.Serialize(message, message.GetType()));
            queued++;
        }
        await session.SaveChangesAsync(ct);
        http.RequestServices.GetRequiredService<WebhookDispatchSignal>().Wake();
        return TypedResults.Json(new ReplayAccepted(id, queued, page.Count > 0 ? page[^1].Sequence : null, more ? page[^1].Sequence + 1 : null),
            statusCode: StatusCodes.Status202Accepted);
    }

    private static long? WholeNumber(JsonObject body, string field, List<FieldError> errors)
    {
        if (body[field] is not { } node)
            return null;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var n) && n >= 0)
            return n;
        errors.Add(new FieldError("/" + field, $"'{field}' is a whole number, 0 or more."));
        return null;
    }
}
