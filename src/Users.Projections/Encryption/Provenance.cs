using System.Text.Json.Nodes;

namespace Users.Projections.Encryption;

/// <summary>
/// The personal members of the <c>provenance</c> event header (docs/auditing.md): where a change came from. The
/// rest of it (credential kind and id, route, dialect) says how, not who, and stays readable.
/// </summary>
public static class Provenance
{
    public const string Header = "provenance";
    public static readonly IReadOnlyList<string> PersonalMembers = ["client_ip", "user_agent"];

    /// <summary>A copy of the header (as JSON) with <paramref name="transform"/> applied to its personal members; null when none changes.</summary>
    public static JsonObject? Transform(string headerJson, Func<string, string> transform)
    {
        if (JsonNode.Parse(headerJson) is not JsonObject header)
            return null;
        var changed = false;
        foreach (var member in PersonalMembers)
        {
            if (header[member] is JsonValue v && v.TryGetValue<string>(out var text) && transform(text) is var next && next != text)
            {
                header[member] = next;
                changed = true;
            }
        }
        return changed ? header : null;
    }
}
