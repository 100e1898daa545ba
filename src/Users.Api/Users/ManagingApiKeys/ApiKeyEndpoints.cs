using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Patching;
using Users.Api.Auth;
using Users.Api.Http;
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
            .WithSummary("Issue an API key for the user; the key is in this response only. An admin may give it a role.");
        app.MapGet("/api/v1/users/{id:guid}/api-keys", List)
            .RequireProfileAccess(Access.Read)
            .WithName("ListApiKeys")
            .WithSummary("The user's API keys: id, prefix, created, last used, revoked (never the key).");
        app.MapDelete("/api/v1/users/{id:guid}/api-keys/{keyId:guid}", Revoke)
            .RequireProfileAccess(Access.Write)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working at once.");
    }

    private static async Task<IResult> Issue(Guid id, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        string? role = null;
        if (http.Request.ContentLength > 0 || http.Request.ContentType is not null)
        {
            var (parsed, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
            if (problem is not null)
                return problem;
            var body = parsed!;
            var errors = body.Where(kv => kv.Key != "role")
                .Select(kv => new FieldError("/" + kv.Key, $"'{kv.Key}' is not a known field.")).ToList();
            if (body["role"] is { } node)
            {
                if (!http.User.IsAdmin())
                    return AuthProblems.Forbidden("Only an admin may give a key a role; nothing was issued.",
                        [new FieldError("/role", "'role' may be set by an admin only.")]);
                role = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
                if (role is not (Roles.Admin or Roles.Auditor))
                    errors.Add(new FieldError("/role", "'role' is admin or auditor."));
            }
            if (errors.Count > 0)
                return ApiProblem.Validation(errors);
        }

        if (await session.LoadAsync<UserProfile>(id, ct) is null)
            return ApiProblem.NotFound(id);

        var (key, document) = ApiKey.Issue(id, role, RequestContext.From(http, "api/v1").Actor, clock.GetUtcNow());
        session.Store(document);
        await session.SaveChangesAsync(ct);

        // The one place the key exists in clear: this response, which nobody should cache.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Location = $"/api/v1/users/{id}/api-keys/{document.Id}";
        var json = Describe(document);
        json["key"] = key;
        return TypedResults.Json(json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> List(Guid id, IQuerySession query, CancellationToken ct)
    {
        if (await query.LoadAsync<UserProfile>(id, ct) is null)
            return ApiProblem.NotFound(id);
        var keys = await query.Query<ApiKey>().Where(x => x.UserId == id).OrderBy(x => x.CreatedAt).ToListAsync(ct);
        return TypedResults.Json(new JsonObject { ["items"] = new JsonArray([.. keys.Select(k => (JsonNode)Describe(k))]) });
    }

    private static async Task<IResult> Revoke(Guid id, Guid keyId, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
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

    private static JsonObject Describe(ApiKey key) => new()
    {
        ["id"] = key.Id,
        ["prefix"] = key.Prefix,
        ["role"] = key.Role,
        ["created_at"] = key.CreatedAt,
        ["created_by"] = key.CreatedBy,
        ["last_used_at"] = key.LastUsedAt,
        ["revoked_at"] = key.RevokedAt,
    };
}
