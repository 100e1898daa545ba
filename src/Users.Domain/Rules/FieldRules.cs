using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>
/// Applies a field's <see cref="FieldKindRule"/> to one JSON value: its JSON shape (from the kind's schema),
/// clean text, then the kind's check; every failure under its JSON pointer.
/// </summary>
public sealed class FieldRules(ProfileValueSets sets, TimeProvider clock)
{
    public IEnumerable<(string Path, string Message)> Check(ProfileField field, JsonNode node, string path)
    {
        var rule = FieldKinds.Of(field.Kind);
        if (rule.Schema(field, sets).Type == ValueSchema.Array)
            return CheckList(field, rule, node, path);
        return CheckScalar(field, rule, node) is { } message ? [(path, message)] : [];
    }

    private string? CheckScalar(ProfileField field, FieldKindRule rule, JsonNode node)
    {
        var name = field.Name;
        if (rule.Schema(field, sets).Type == ValueSchema.Boolean)
            return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : $"'{name}' must be true or false.";
        if (AsString(node) is not { } s)
            return $"'{name}' must be a string.";
        if (!Text.IsClean(s, rule.AllowsLineBreaks))
            return $"'{name}' contains control characters or invalid Unicode.";
        return rule.Check is { } check ? check(field, s, sets, clock) : $"'{name}' cannot be written.";
    }

    private IEnumerable<(string, string)> CheckList(ProfileField field, FieldKindRule rule, JsonNode node, string path)
    {
        var name = field.Name;
        if (node is not JsonArray array)
        {
            yield return (path, $"'{name}' must be an array.");
            yield break;
        }
        if (array.Count > field.MaxLength)
        {
            yield return (path, $"'{name}' may hold at most {field.MaxLength} entries.");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}/{i}";
            string? value;
            string? problem;
            if (rule.EntryKey is { } key)
                (at, value, problem) = Entry(array[i], at, key);
            else
                (value, problem) = (AsString(array[i]), null);
            problem ??= rule.Check!(field, value, sets, clock);
            if (problem is not null)
                yield return (at, problem);
            else if (!seen.Add(value!))
                yield return (at, $"'{name}' lists this entry more than once.");
        }
    }

    /// <summary>An entry of a sub-collection: an object with exactly one key, the value.</summary>
    private static (string Path, string? Value, string? Problem) Entry(JsonNode? item, string path, string key)
    {
        if (item is not JsonObject obj)
            return (path, null, $"Each entry must be an object {{ \"{key}\": … }}.");
        foreach (var (k, _) in obj)
            if (k != key)
                return ($"{path}/{JsonPointer.Escape(k)}", null, $"'{JsonPointer.Printable(k)}' is not a known field of an entry.");
        var value = obj[key] is { } v ? AsString(v) : null;
        if (value is null)
            return ($"{path}/{key}", null, $"'{key}' is required and must be a string.");
        if (!Text.IsClean(value, allowLineBreaks: false))
            return ($"{path}/{key}", null, $"'{key}' contains control characters or invalid Unicode.");
        return ($"{path}/{key}", value, null);
    }

    private static string? AsString(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            return null;
        try
        {
            return v.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot become a .NET string: hand on one that Text.IsClean refuses.
            return "\uD800";
        }
    }
}
