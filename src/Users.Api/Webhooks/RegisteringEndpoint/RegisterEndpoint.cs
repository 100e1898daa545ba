using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;

namespace Users.Api.Webhooks.RegisteringEndpoint;

/// <summary>Registers a webhook endpoint; its secret is in the 201 response and nowhere else.</summary>
public static class RegisterEndpoint
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;
    private static readonly HashSet<string> Fields = ["url", "event_types", "description"];

    /// <summary>What an endpoint may subscribe to: the published contract type names.</summary>
    public static readonly IReadOnlySet<string> EventTypeNames = IntegrationEvents.ContractTypes.Select(t => t.Name).ToHashSet();

    public static void MapRegisterEndpoint(this RouteGroupBuilder admin) =>
        admin.MapPost("/webhooks", Handle)
            .WithName("RegisterWebhookEndpoint")
            .WithSummary("Register a webhook endpoint (admin): URL, event types (all when empty), description. The signing secret is in this response only.")
            .DocumentsBody<RegisterEndpointRequest>()
            .Produces<RegisteredEndpoint>(StatusCodes.Status201Created)
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity, "A field is invalid, or the URL points where deliveries may not go (/url).");

    private static async Task<IResult> Handle(HttpContext http, IDocumentSession session, OutboundAddressPolicy policy, TimeProvider clock,
        CancellationToken ct)
    {
        var (parsed, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;
        var body = parsed!;

        var errors = body.Where(kv => !Fields.Contains(kv.Key))
            .Select(kv => new FieldError("/" + kv.Key, $"'{kv.Key}' is not a known field.")).ToList();
        var url = StringOf(body["url"]);
        if (url is not { Length: > 0 and <= MaxUrlLength })
            errors.Add(new FieldError("/url", $"'url' is required: an absolute URL of at most {MaxUrlLength} characters."));
        else if (policy.RefuseUrl(url) is { } refused)
            errors.Add(new FieldError("/url", refused));
        var eventTypes = ReadEventTypes(body["event_types"], errors);
        string? description = null;
        if (body["description"] is { } descriptionNode)
        {
            description = StringOf(descriptionNode)?.Trim();
            if (description is null || description.Length > MaxDescriptionLength)
                errors.Add(new FieldError("/description", $"'description' is a string of at most {MaxDescriptionLength} characters."));
        }
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        var secret = WebhookEndpoint.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            Url = url!,
            EventTypes = eventTypes,
            Description = description,
            Secrets = [new WebhookSigningSecret(secret, null)],
            CreatedBy = RequestContext.From(http, "api/v1").Actor,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Store(endpoint);
        await session.SaveChangesAsync(ct);

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Location = $"{WebhooksSetup.Route}/{endpoint.Id}";
        return TypedResults.Json(new RegisteredEndpoint(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.Enabled,
            endpoint.CreatedAt, endpoint.CreatedBy, secret), statusCode: StatusCodes.Status201Created);
    }

    private static List<string> ReadEventTypes(JsonNode? node, List<FieldError> errors)
    {
        if (node is null)
            return [];
        if (node is not JsonArray array)
        {
            errors.Add(new FieldError("/event_types", "'event_types' is an array of contract type names."));
            return [];
        }
        var names = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var name = StringOf(array[i]);
            if (name is null || !EventTypeNames.Contains(name))
                errors.Add(new FieldError($"/event_types/{i}",
                    $"Not a contract type; one of: {string.Join(", ", EventTypeNames.Order(StringComparer.Ordinal))}."));
            else if (!names.Contains(name))
                names.Add(name);
        }
        return names;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
