using System.Text;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;
using Users.Projections;

namespace Users.Api.Auth;

/// <summary>
/// Who is calling: a bearer JWT or an API key, chosen by header. Every endpoint requires an authenticated
/// caller unless it says otherwise (deny by default).
/// </summary>
public static class AuthSetup
{
    /// <summary>The default scheme: forwards to the API-key or the JWT scheme by what the request carries.</summary>
    public const string Credentials = "Credentials";
    public const string AdminPolicy = "admin";
    /// <summary>Reads across every user (the global event feed): admins and auditors.</summary>
    public const string ReadAllPolicy = "read-all";
    public const string Realm = "Bearer realm=\"users\"";

    public static void AddUsersAuth(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration, builder.Environment.EnvironmentName);
        builder.Services.AddSingleton(settings);

        builder.Services.AddAuthentication(Credentials)
            .AddPolicyScheme(Credentials, "Bearer token or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.PresentedKey(http) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => ConfigureJwt(o, settings))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(Claims.Role, Roles.Admin))
            .AddPolicy(ReadAllPolicy, p => p.RequireAuthenticatedUser().RequireClaim(Claims.Role, Roles.Admin, Roles.Auditor));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        // The hosting log writes each request's URL with its query string, where ?api_key= may travel.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    }

    /// <summary>Authentication, rate limiting (per authenticated caller, else per address), then authorization.</summary>
    public static void UseUsersAuth(this WebApplication app)
    {
        app.UseAuthentication();
        // Before any 401, so that guessing credentials is throttled like everything else.
        app.UseRateLimiter();
        // A credential that was sent but does not hold is refused even where anonymous callers are welcome,
        // so that a revoked key or an expired token never silently downgrades to "anonymous".
        app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated != true && PresentsCredentials(http))
            {
                var result = await http.AuthenticateAsync();
                if (!result.Succeeded)
                {
                    await http.ChallengeAsync();
                    return;
                }
            }
            await next(http);
        });
        app.UseAuthorization();
    }

    private static bool PresentsCredentials(HttpContext http) =>
        http.Request.Headers.Authorization.Count > 0 || ApiKeyAuthenticationHandler.PresentedKey(http) is not null;

    private static void ConfigureJwt(JwtBearerOptions o, AuthSettings settings)
    {
        // Keep "sub" and "role" as they are in the token instead of the legacy long claim URIs.
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidAudience = settings.Audience,
            NameClaimType = Claims.Subject,
            RoleClaimType = Claims.Role,
            ClockSkew = TimeSpan.FromSeconds(30),
            // Access tokens only: RFC 9068's at+jwt, or the plain JWT most identity providers and the dev tokens use.
            ValidTypes = AuthSettings.TokenTypes,
        };
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            o.Authority = settings.Authority;
            o.Audience = settings.Audience;
            // Asymmetric algorithms only: never "none", never an HMAC keyed with a public key.
            o.TokenValidationParameters.ValidAlgorithms = settings.Algorithms;
        }
        else
        {
            o.TokenValidationParameters.ValidIssuer = settings.Issuer;
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey!));
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var subject = context.Principal?.FindFirst(Claims.Subject)?.Value;
                if (string.IsNullOrEmpty(subject))
                {
                    context.Fail(new CredentialRefused("The token has no 'sub' claim."));
                    return;
                }
                if (Guid.TryParse(subject, out var userId))
                {
                    var query = context.HttpContext.RequestServices.GetRequiredService<IQuerySession>();
                    var profile = await query.LoadAsync<UserProfile>(userId, context.HttpContext.RequestAborted);
                    if (!Holders.MayAuthenticate(profile))
                    {
                        context.Fail(new CredentialRefused("The user is deactivated."));
                        return;
                    }
                    if (!Holders.SessionOutlivesRecovery(profile, context.SecurityToken))
                    {
                        context.Fail(new CredentialRefused("The token was issued before the account was recovered; sign in again."));
                        return;
                    }
                }
                (context.Principal!.Identity as System.Security.Claims.ClaimsIdentity)!
                    .AddClaim(new System.Security.Claims.Claim(Claims.Actor, subject));
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var failure = context.AuthenticateFailure;
                if (failure is null)
                {
                    await AuthProblems.WriteUnauthorizedAsync(context.HttpContext,
                        "Send a bearer token (Authorization: Bearer …) or an API key (X-Api-Key).",
                        Realm, $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKeyAuthenticationHandler.Header}\"");
                    return;
                }
                var detail = failure switch
                {
                    CredentialRefused refused => refused.Message,
                    SecurityTokenExpiredException => "The token has expired.",
                    _ => "The bearer token is not valid.",
                };
                await AuthProblems.WriteUnauthorizedAsync(context.HttpContext, detail,
                    $"{Realm}, error=\"invalid_token\", error_description=\"{detail}\"");
            },
        };
    }

    /// <summary>A token that is well signed but may not be used (its user is deactivated, or it names nobody).</summary>
    private sealed class CredentialRefused(string message) : Exception(message);

    /// <summary>403 from a policy as problem details; challenges go to the schemes as usual.</summary>
    private sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result) =>
            result.Forbidden
                ? AuthProblems.Forbidden("The credentials do not allow this request.").ExecuteAsync(context)
                : _default.HandleAsync(next, context, policy, result);
    }
}
