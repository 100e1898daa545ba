using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using JasperFx.Events;
using Users.Api.Auth;

namespace Users.Api.Http;

/// <summary>
/// Where a change came from, stored on each event as the header <see cref="Header"/>: the client's address (the
/// forwarded one only from a known proxy, see <see cref="KnownProxies"/>), its user agent (at most
/// <see cref="MaxUserAgentLength"/> characters), the credential by kind and id (never the secret), the route
/// template and the dialect. The address and the user agent are the person's data: erasure removes them.
/// </summary>
public sealed partial record Provenance(
    [property: JsonPropertyName("client_ip")] string? ClientIp,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("credential_kind")] string CredentialKind,
    [property: JsonPropertyName("credential_id")] string? CredentialId,
    [property: JsonPropertyName("route")] string? Route,
    [property: JsonPropertyName("dialect")] string? Dialect)
{
    public const string Header = "provenance";
    public const int MaxUserAgentLength = 256;

    public const string Bearer = "bearer";
    public const string ApiKey = "api_key";
    public const string BootstrapKey = "bootstrap_key";
    public const string Anonymous = "anonymous";
    public const string System = "system";

    /// <summary>A write no request asked for (or whose request is no longer known).</summary>
    public static Provenance OfTheSystem { get; } = new(null, null, System, null, null, null);

    /// <summary>The request's provenance. Runs after the forwarded-headers middleware, so the address is the client's.</summary>
    public static Provenance Of(HttpContext http, string dialect)
    {
        var (kind, id) = CredentialOf(http);
        var userAgent = http.Request.Headers.UserAgent.ToString();
        return new Provenance(
            AddressOf(http.Connection.RemoteIpAddress),
            userAgent.Length == 0 ? null : userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent,
            kind, id, RouteOf(http), dialect);
    }

    /// <summary>What the event's header says; null for events appended before provenance was recorded.</summary>
    public static Provenance? Of(IEvent e) => e.Headers?.GetValueOrDefault(Header) switch
    {
        null => null,
        Provenance known => known,
        JsonElement { ValueKind: JsonValueKind.Object } json => json.Deserialize<Provenance>(),
        // A header read some other way (a dictionary, a node): through its JSON.
        var other => JsonSerializer.Deserialize<Provenance>(JsonSerializer.Serialize(other)),
    };

    private static string? AddressOf(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static (string Kind, string? Id) CredentialOf(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
            return (Anonymous, null);
        if (user.UsesApiKey())
        {
            // The API-key scheme's actor is "api-key:<id>" or "api-key:bootstrap" (Auth/Roles.cs, Claims.Actor).
            var actor = user.FindFirst(Claims.Actor)?.Value ?? "";
            return actor == ApiKeyAuthenticationHandler.BootstrapActor
                ? (BootstrapKey, "bootstrap")
                : (ApiKey, actor.StartsWith("api-key:", StringComparison.Ordinal) ? actor["api-key:".Length..] : actor);
        }
        return (Bearer, user.FindFirst("jti")?.Value is { Length: > 0 } jti ? jti : TokenFingerprint(http));
    }

    /// <summary>
    /// A token without a <c>jti</c> is named by a digest of itself: the same for each of its uses, and useless to
    /// anyone reading it (a token is long and random enough that its digest reveals nothing).
    /// </summary>
    private static string? TokenFingerprint(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return null;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()));
        return "sha256:" + Convert.ToHexStringLower(digest)[..32];
    }

    /// <summary>"PATCH /api/v1/users/{id}": the method and the route template, its parameters without constraints.</summary>
    private static string? RouteOf(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
            ? $"{http.Request.Method} {(template.StartsWith('/') ? "" : "/")}{ParameterConstraints().Replace(template, "{$1}")}"
            : null;

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex ParameterConstraints();
}
