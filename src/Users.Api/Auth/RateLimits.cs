using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Users.Api.Http;

namespace Users.Api.Auth;

/// <summary>
/// Per-caller limits (OWASP API4): every route but health (the seed dialects' too) shares the general one, keyed
/// by user (all of a user's tokens and keys spend one budget), else by the credential's actor (the bootstrap key),
/// else by client address; mail-sending endpoints add the stricter <see cref="VerificationResend"/>. Static files
/// are served before the limiter. Configured under <c>RateLimits:General</c> and <c>RateLimits:VerificationResend</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>Attach with <c>.RequireRateLimiting(RateLimits.VerificationResend)</c>; keyed by caller and route <c>{id}</c>.</summary>
    public const string VerificationResend = "verification-resend";

    public static void AddUsersRateLimits(this WebApplicationBuilder builder)
    {
        // Under test the defaults stay out of the way; a test that exercises a limit configures it low.
        var testing = builder.Environment.IsEnvironment("Testing");
        var general = Read(builder.Configuration, "General", testing ? 1_000_000 : 600, 60);
        var resend = Read(builder.Configuration, "VerificationResend", testing ? 1_000_000 : 3, 15 * 60);
        builder.Services.AddSingleton(new RateLimitSettings(general, resend));

        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("")
                    : Window("general:" + CallerKey(http), general));
            o.AddPolicy(VerificationResend, http => ResendPartition(http, resend));
            o.OnRejected = (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(ApiProblem.Of(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Slow down: try again in {retryAfter} s.").ExecuteAsync(context.HttpContext));
            };
        });
    }

    /// <summary>
    /// Who is counted: the user behind the credentials (one budget for all their tokens and keys), else the actor
    /// (a credential with no user: the bootstrap key), else the client address (after <see cref="KnownProxies"/>).
    /// </summary>
    public static string CallerKey(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            if (http.User.FindFirst(Claims.Subject)?.Value is { Length: > 0 } subject)
                return "user:" + subject;
            if (http.User.FindFirst(Claims.Actor)?.Value is { } actor)
                return actor;
        }
        return "ip:" + http.Connection.RemoteIpAddress;
    }

    /// <summary>Resends are counted per caller and per user they are for.</summary>
    public static RateLimitPartition<string> ResendPartition(HttpContext http, RateLimit limit) =>
        Window($"resend:{CallerKey(http)}:{http.Request.RouteValues["id"]}", limit);

    public static RateLimitPartition<string> Window(string key, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
        });

    private static RateLimit Read(IConfiguration configuration, string name, int permits, int windowSeconds)
    {
        var limit = new RateLimit { PermitLimit = permits, WindowSeconds = windowSeconds };
        configuration.GetSection($"RateLimits:{name}").Bind(limit);
        if (limit.PermitLimit < 1 || limit.WindowSeconds < 1)
            throw new InvalidOperationException($"RateLimits:{name} needs PermitLimit and WindowSeconds of at least 1.");
        return limit;
    }
}
