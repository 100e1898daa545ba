using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Patching;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;

namespace Users.Api.Users.ManagingApiKeys;

/// <summary>Issue (shown once), list and revoke a user's API keys.</summary>
public static class ApiKeyEndpoints
{
    public static void MapApiKeys(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/users/{id:guid}/api-keys", Issue)
            .RequireProfileAccess(Access.Write)
            .WithName("IssueApiKey")
            .WithSummary("Issue a named API key (optional expires_at) with an interactive token or as admin; the key is in this response only. An admin may give it a role.")
            .DocumentsBody<IssueApiKeyRequest>("Only with an interactive (bearer) token, or as admin: an API key cannot issue keys.")
            .Produces<IssuedApiKey>(StatusCodes.Status201Created)
            .AnswersProblem(StatusCodes.Status409Conflict, "The user already holds the most active keys allowed (ApiKeys:MaxActivePerUser).");
        app.MapGet("/api/v1/users/{id:guid}/api-keys", List)
            .RequireProfileAccess(Access.Read)
            .WithName("ListApiKeys")
            .WithSummary("The user's API keys: id, name, prefix, role, created, expires, last used, revoked (never the key).")
            .Produces<ApiKeyList>();
        app.MapDelete("/api/v1/users/{id:guid}/api-keys/{keyId:guid}", Revoke)
            .RequireProfileAccess(Access.Write)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key (interactive token or admin); it stops working at once.")
            .Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>How many unrevoked, unexpired keys a user may hold (<c>ApiKeys:MaxActivePerUser</c>).</summary>
    public const string MaxActiveSetting = "ApiKeys:MaxActivePerUser";
    public const int DefaultMaxActive = 10;
    public const int MaxNameLength = 100;
    private static readonly HashSet<string> Fields = ["name", "expires_at", "role"];

    private static async Task<IResult> Issue(Guid id, HttpContext http, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration, CancellationToken ct)
    {
        if (RefuseKeys(http) is { } refused)
            return refused;

        var body = new JsonObject();
        if (http.Request.ContentLength > 0 || http.Request.ContentType is not null)
        {
            var (parsed, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
            if (problem is not null)
                return problem;
            body = parsed!;
        }
        var now = clock.GetUtcNow();
        var errors = body.Where(kv => !Fields.Contains(kv.Key))
            .Select(kv => new FieldError("/" + kv.Key, $"'{kv.Key}' is not a known field.")).ToList();
        var name = body["name"] is { } nameNode && nameNode.GetValueKind() == JsonValueKind.String ? nameNode.GetValue<string>().Trim() : null;
        if (name is not { Length: > 0 and <= MaxNameLength })
            errors.Add(new FieldError("/name", $"'name' is required: 1 to {MaxNameLength} characters saying what the key is for."));
        DateTimeOffset? expiresAt = null;
        if (body["expires_at"] is { } expiresNode)
        {
            if (expiresNode.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(expiresNode.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                && parsed > now)
                expiresAt = parsed.ToUniversalTime();
            else
                errors.Add(new FieldError("/expires_at", "'expires_at' is a future date-time (ISO 8601), or absent for a key that does not expire."));
        }
        string? role = null;
        if (body["role"] is { } roleNode)
        {
            if (!http.User.IsAdmin())
                return AuthProblems.Forbidden("Only an admin may give a key a role; nothing was issued.",
                    [new FieldError("/role", "'role' may be set by an admin only.")]);
            role = roleNode.GetValueKind() == JsonValueKind.String ? roleNode.GetValue<string>() : null;
            if (role is not (Roles.Admin or Roles.Auditor))
                errors.Add(new FieldError("/role", "'role' is admin or auditor."));
        }
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        if (await session.LoadAsync<UserProfile>(id, ct) is null)
            return ApiProblem.NotFound(id);

        // A cap, so that a leaked session cannot scatter keys faster than their owner can find them.
        var cap = configuration.GetValue(MaxActiveSetting, DefaultMaxActive);
        var active = await session.Query<ApiKey>()
            .CountAsync(x => x.UserId == id && x.RevokedAt == null && (x.ExpiresAt == null || x.ExpiresAt > now), ct);
        if (active >= cap)
            return ApiProblem.Of(StatusCodes.Status409Conflict, "Too many API keys",
                $"The user already holds {active} active API keys and at most {cap} are allowed; revoke one first.");

        var (key, document) = ApiKey.Issue(id, name!, expiresAt, role, RequestContext.From(http, "api/v1").Actor, now);
        session.Store(document);
        await session.SaveChangesAsync(ct);

        // The one place the key exists in clear: this response, which nobody should cache.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Location = $"/api/v1/users/{id}/api-keys/{document.Id}";
        return TypedResults.Json(IssuedApiKey.Of(document, key), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A key cannot mint or revoke keys (a stolen one would make itself permanent); an admin's key can.</summary>
    private static IResult? RefuseKeys(HttpContext http) =>
        http.User.UsesApiKey() && !http.User.IsAdmin()
            ? AuthProblems.Forbidden("An API key cannot issue or revoke API keys; use an interactive (bearer) token.")
            : null;

    private static async Task<IResult> List(Guid id, IQuerySession query, CancellationToken ct)
    {
        if (await query.LoadAsync<UserProfile>(id, ct) is null)
            return ApiProblem.NotFound(id);
        var keys = await query.Query<ApiKey>().Where(x => x.UserId == id).OrderBy(x => x.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(new ApiKeyList([.. keys.Select(ApiKeyView.Of)]));
    }

    private static async Task<IResult> Revoke(Guid id, Guid keyId, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        if (RefuseKeys(http) is { } refused)
            return refused;
        var key = await session.LoadAsync<ApiKey>(keyId, ct);
        if (key is null || key.UserId != id)
            return ApiProblem.Of(StatusCodes.Status404NotFound, "API key not found", $"The user has no API key {keyId}.");
        if (key.RevokedAt is null)
        {
            session.Patch<ApiKey>(keyId).Set(x => x.RevokedAt, clock.GetUtcNow());
            await session.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }
}
