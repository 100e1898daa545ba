using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Users.Projections;
using Users.ServiceDefaults;

namespace Users.Api.Auth;

/// <summary>Marks an endpoint that also accepts the key as <c>?api_key=</c> (the seed dialects that document it).</summary>
public sealed class AcceptsApiKeyInQuery
{
}

public static class ApiKeyInQuery
{
    /// <summary>Lets this endpoint take its API key from <c>?api_key=</c> as well as from <c>X-Api-Key</c>.</summary>
    public static TBuilder AcceptApiKeyInQuery<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new AcceptsApiKeyInQuery());
}

/// <summary>Authenticates <c>X-Api-Key</c> (or <c>?api_key=</c> where the endpoint opts in) against the stored hashes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AuthSettings settings, IDocumentStore store, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string QueryParameter = "api_key";
    public const string BootstrapActor = "api-key:bootstrap";
    private const int MaxKeyLength = 256;
    // last_used_at is a hint, not an audit trail: one write a minute per key at most.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public static string? PresentedKey(HttpContext http)
    {
        var header = http.Request.Headers[Header].ToString();
        if (header.Length > 0)
            return header;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AcceptsApiKeyInQuery>() is not null
            && http.Request.Query[QueryParameter].ToString() is { Length: > 0 } query)
            return query;
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Context);
        if (presented is null)
            return AuthenticateResult.NoResult();

        if (settings.BootstrapAdminApiKey is { Length: > 0 } bootstrap && SecretTokens.Same(presented, bootstrap))
            return Success(BootstrapActor, subject: null, Roles.Admin);

        if (!presented.StartsWith(ApiKey.Marker, StringComparison.Ordinal) || presented.Length > MaxKeyLength)
            return AuthenticateResult.Fail("The API key is not valid.");

        var hash = ApiKey.HashOf(presented);
        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(x => x.Hash == hash, Context.RequestAborted);
        if (key is null)
            return AuthenticateResult.Fail("The API key is not valid.");
        if (key.RevokedAt is not null)
            return AuthenticateResult.Fail("The API key has been revoked.");
        if (key.ExpiresAt is { } expiresAt && expiresAt <= clock.GetUtcNow())
            return AuthenticateResult.Fail("The API key has expired.");
        if (!Holders.MayAuthenticate(await session.LoadAsync<UserProfile>(key.UserId, Context.RequestAborted)))
            return AuthenticateResult.Fail("The user is deactivated.");

        await TouchAsync(key);
        return Success($"api-key:{key.Id}", key.UserId.ToString(), key.Role);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message ?? "Send an API key in X-Api-Key.",
            $"{SchemeName} header=\"{Header}\"");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.Forbidden("The credentials do not allow this request.").ExecuteAsync(Context);

    private AuthenticateResult Success(string actor, string? subject, string? role)
    {
        var claims = new List<Claim> { new(Claims.Actor, actor) };
        if (subject is not null)
            claims.Add(new Claim(Claims.Subject, subject));
        if (role is not null)
            claims.Add(new Claim(Claims.Role, role));
        var identity = new ClaimsIdentity(claims, SchemeName, Claims.Subject, Claims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task TouchAsync(ApiKey key)
    {
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is { } last && now - last < TouchInterval)
            return;
        // A patch of one field, so that it cannot undo a revocation committed in between.
        await using var session = store.LightweightSession();
        session.Patch<ApiKey>(key.Id).Set(x => x.LastUsedAt, now);
        await session.SaveChangesAsync(Context.RequestAborted);
    }

}

/// <summary>Whose credentials still work.</summary>
public static class Holders
{
    /// <summary>Deactivated or erased users' credentials stop working; a subject with no profile (an IdP admin) is let through.</summary>
    public static bool MayAuthenticate(UserProfile? profile) => profile is null || (profile.IsActive && !profile.IsErased);

    /// <summary>
    /// A bearer token issued before the user's latest account recovery is void (the thief's session with it).
    /// <c>iat</c> is whole seconds: one issued in the recovery's own second is void too (sign in a second later).
    /// </summary>
    public static bool SessionOutlivesRecovery(UserProfile? profile, Microsoft.IdentityModel.Tokens.SecurityToken token)
    {
        if (profile?.RecoveredAt is not { } recovered)
            return true;
        var issuedAt = token is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt ? jwt.IssuedAt : DateTime.MinValue;
        return new DateTimeOffset(DateTime.SpecifyKind(issuedAt, DateTimeKind.Utc)) > recovered;
    }
}
