namespace Users.Api.Http;

public static class ETags
{
    public static string Of(long version) => $"\"{version}\"";

    /// <summary>Reads <c>If-Match: "N"</c>; null when absent, false when unparseable.</summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? version)
    {
        version = null;
        var raw = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw))
            return true;
        var trimmed = raw.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
            trimmed = trimmed[2..];
        trimmed = trimmed.Trim('"');
        if (long.TryParse(trimmed, out var parsed) && parsed >= 0)
        {
            version = parsed;
            return true;
        }
        return false;
    }
}
