using System.Security.Claims;

namespace Users.Api.Auth;

/// <summary>The claims this service reads from any credential.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Role = "role";
    /// <summary>Who is recorded on events: the user id, <c>api-key:&lt;id&gt;</c> or <c>api-key:bootstrap</c>.</summary>
    public const string Actor = "actor";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(Claims.Role, Admin);
    public static bool IsAuditor(this ClaimsPrincipal user) => user.HasClaim(Claims.Role, Auditor);

    /// <summary>Authenticated by an API key (not an interactive bearer token).</summary>
    public static bool UsesApiKey(this ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName);

    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(Claims.Subject)?.Value, out var id) ? id : null;
}
