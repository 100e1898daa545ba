using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Users.Api.Http;

namespace Users.Api.Auth;

/// <summary>
/// HS256 tokens signed with <c>Auth:SigningKey</c>, for development and tests: from the command line
/// (<c>dotnet run --project src/Users.Api -- mint-token --sub &lt;id&gt; [--role admin|auditor] [--minutes 60]</c>)
/// or <c>POST /dev/tokens</c>, which exists only in Development and Testing.
/// </summary>
public static class DevTokens
{
    public static string Mint(string signingKey, string issuer, string audience, string subject, string? role,
        DateTimeOffset expires, TimeSpan? lifetime = null)
    {
        // Issued before it expires whatever the expiry, so that tests can mint already-expired tokens.
        var issued = expires - (lifetime ?? TimeSpan.FromHours(1));
        // A jti names the token in each event's provenance (credential_id).
        var claims = new Dictionary<string, object> { [Claims.Subject] = subject, ["jti"] = Guid.NewGuid().ToString("N") };
        if (role is not null)
            claims[Claims.Role] = role;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                SecurityAlgorithms.HmacSha256),
        });
    }

    public static string Mint(AuthSettings settings, string subject, string? role, TimeSpan lifetime, DateTimeOffset now) =>
        Mint(settings.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is not configured."),
            settings.Issuer, settings.Audience, subject, role, now + lifetime, lifetime);

    /// <summary>The <c>mint-token</c> command, handled before the host is built.</summary>
    public static int RunCommand(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args, new Dictionary<string, string> { ["--sub"] = "sub", ["--role"] = "role", ["--minutes"] = "minutes" })
            .Build();
        if (!Guid.TryParse(configuration["sub"], out var subject))
        {
            Console.Error.WriteLine("usage: mint-token --sub <user id> [--role admin|auditor] [--minutes 60]");
            return 2;
        }
        var role = configuration["role"];
        if (role is not (null or Roles.Admin or Roles.Auditor))
        {
            Console.Error.WriteLine("--role is admin or auditor (absent for a plain user).");
            return 2;
        }
        var settings = AuthSettings.From(configuration, environment);
        var minutes = int.TryParse(configuration["minutes"], out var m) && m > 0 ? m : 60;
        Console.WriteLine(Mint(settings, subject.ToString(), role, TimeSpan.FromMinutes(minutes), DateTimeOffset.UtcNow));
        return 0;
    }

    public static void MapDevTokens(this IEndpointRouteBuilder app) =>
        app.MapPost("/dev/tokens", async (HttpContext http, AuthSettings settings, TimeProvider clock, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
                if (problem is not null)
                    return problem;
                var errors = new List<FieldError>();
                if (!Guid.TryParse(Text(body!, "sub"), out var subject))
                    errors.Add(new FieldError("/sub", "'sub' is required: the user id (a UUID)."));
                var role = Text(body!, "role");
                if (role is not (null or Roles.Admin or Roles.Auditor))
                    errors.Add(new FieldError("/role", "'role' is admin or auditor, or absent for a plain user."));
                var minutes = body!["minutes"] is JsonValue v && v.TryGetValue<int>(out var m) ? m : 60;
                if (minutes is < 1 or > 24 * 60)
                    errors.Add(new FieldError("/minutes", "'minutes' is 1 to 1440."));
                if (errors.Count > 0)
                    return ApiProblem.Validation(errors);
                var now = clock.GetUtcNow();
                var lifetime = TimeSpan.FromMinutes(minutes);
                return TypedResults.Ok(new DevToken(Mint(settings, subject.ToString(), role, lifetime, now), "Bearer", now + lifetime));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
