using System.Diagnostics;

namespace Users.Api.Http;

/// <summary>Who asked, under which correlation id, through which door and from where: stamped on every event.</summary>
public sealed record RequestContext(string Actor, string CorrelationId, string Origin, Provenance Provenance)
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <param name="anonymousActsAs">who an anonymous caller stands for, e.g. the user signing up or holding a mailed token.</param>
    public static RequestContext From(HttpContext http, string origin, Guid? anonymousActsAs = null)
    {
        var actor = http.User.Identity?.IsAuthenticated == true
            ? http.User.FindFirst("actor")?.Value ?? http.User.FindFirst("sub")?.Value ?? "anonymous"
            : anonymousActsAs?.ToString() ?? "anonymous";
        return new RequestContext(actor, CorrelationIdOf(http), origin, Provenance.Of(http, origin));
    }

    public static string CorrelationIdOf(HttpContext http)
    {
        if (http.Items.TryGetValue(CorrelationHeader, out var known) && known is string s)
            return s;
        var header = http.Request.Headers[CorrelationHeader].ToString();
        var id = IsUsable(header) ? header : Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        http.Items[CorrelationHeader] = id;
        return id;
    }

    // A correlation id is echoed and stored: keep it short and printable.
    private static bool IsUsable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
