using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Api.Http;

namespace Users.Api.Dialects;

/// <summary>The fields a dialect documents, read from its request record so the list lives in one place.</summary>
public static class DocumentedFields
{
    public static IReadOnlySet<string> Of<TRequest>() =>
        typeof(TRequest).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The documented fields of a body as a canonical merge patch (their names are the canonical ones), and
    /// an error naming each undocumented one. Where the dialect reads null as "not provided", nulls are dropped.
    /// </summary>
    public static (JsonObject Patch, List<FieldError> Errors) Patch(JsonObject body, IReadOnlySet<string> documented,
        bool nullMeansNotProvided = false, string pointerPrefix = "")
    {
        var patch = new JsonObject();
        foreach (var (name, value) in body)
            if (documented.Contains(name) && !(nullMeansNotProvided && value is null))
                patch[name] = value?.DeepClone();
        return (patch, Undocumented(body, documented, pointerPrefix));
    }

    /// <summary>No silent mass assignment: a field the dialect does not document is named and refused.</summary>
    public static List<FieldError> Undocumented(JsonObject body, IReadOnlySet<string> documented, string pointerPrefix = "") =>
        body.Where(kv => !documented.Contains(kv.Key))
            .Select(kv => new FieldError($"{pointerPrefix}/{kv.Key}", $"'{kv.Key}' is not a field of this API."))
            .ToList();
}
