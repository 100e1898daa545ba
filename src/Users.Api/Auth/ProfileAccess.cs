using System.Security.Claims;
using System.Text.Json.Nodes;
using Users.Api.Http;
using Users.Domain.Profile;

namespace Users.Api.Auth;

public enum Access { Read, Write }

/// <summary>
/// Object- and property-level authorization over a user's profile (OWASP API1 and API3): a user reaches
/// only their own, an admin any, an auditor reads any and writes nothing; admin-only fields need an admin.
/// </summary>
public static class ProfileAccess
{
    public static bool Allows(ClaimsPrincipal caller, Guid profileId, Access access)
    {
        if (caller.IsAdmin())
            return true;
        if (caller.IsAuditor())
            return access == Access.Read;
        return caller.UserId() == profileId;
    }

    /// <summary>Compares the route's <c>{id}</c> with the caller before the endpoint runs.</summary>
    public static TBuilder RequireProfileAccess<TBuilder>(this TBuilder endpoint, Access access)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!Guid.TryParse(http.Request.RouteValues["id"]?.ToString(), out var id) || !Allows(http.User, id, access))
                return AuthProblems.Forbidden(access == Access.Read
                    ? "You may read only your own profile."
                    : "You may change only your own profile.");
            return await next(context);
        });

    /// <summary>For endpoints open to anonymous callers that still write: an auditor writes nothing.</summary>
    public static TBuilder RefuseAuditors<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.User;
            if (caller.IsAuditor() && !caller.IsAdmin())
                return AuthProblems.Forbidden("An auditor may read but writes nothing.");
            return await next(context);
        });

    /// <summary>
    /// 403 naming every admin-only field a non-admin sent, so that nothing of the request is applied;
    /// null when the caller may write all of them. Read the catalogue, so every admin field is covered.
    /// </summary>
    public static IResult? RefuseAdminFields(ClaimsPrincipal caller, JsonObject body) =>
        AdminFieldsRefused(caller, body) is { Count: > 0 } refused ? AuthProblems.Forbidden(AdminOnlyDetail, refused) : null;

    public const string AdminOnlyDetail = "Only an admin may write these fields; nothing was applied.";

    /// <summary>
    /// The fields whose change hands over the account (where its recovery mail goes, its password): a key, a
    /// long-lived secret that lives in scripts and CI settings, may not change them; an interactive token or an
    /// admin may. A stolen key therefore cannot start a takeover.
    /// </summary>
    public static readonly string[] InteractiveOnlyFields = ["email", "password"];

    public const string InteractiveOnlyDetail =
        "An API key may not change the email address or the password; use an interactive (bearer) token. Nothing was applied.";

    /// <summary>Each of <see cref="InteractiveOnlyFields"/> a non-admin API key sent (none for anyone else).</summary>
    public static List<FieldError> KeyFieldsRefused(ClaimsPrincipal caller, JsonObject body) =>
        !caller.UsesApiKey() || caller.IsAdmin()
            ? []
            : InteractiveOnlyFields.Where(body.ContainsKey)
                .Select(name => new FieldError("/" + name, $"'{name}' may not be changed with an API key."))
                .ToList();

    /// <summary>Each admin-only field in the body that the caller may not write (none for an admin).</summary>
    public static List<FieldError> AdminFieldsRefused(ClaimsPrincipal caller, JsonObject body) =>
        caller.IsAdmin()
            ? []
            : body.Select(kv => kv.Key)
                .Where(name => ProfileFields.Find(name) is { Access: FieldAccess.Admin })
                .Select(name => new FieldError("/" + name, $"'{name}' may be written by an admin only."))
                .ToList();
}
