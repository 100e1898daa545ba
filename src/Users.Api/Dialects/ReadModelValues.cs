using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Projections;

namespace Users.Api.Dialects;

/// <summary>Typed reads of the read model's profile values, for the dialects' typed responses.</summary>
public static class ReadModelValues
{
    public static string? Text(this UserProfile profile, string field) =>
        profile.Fields.GetValueOrDefault(field) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? Flag(this UserProfile profile, string field) =>
        profile.Fields.GetValueOrDefault(field) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>() : null;

    public static DateTimeOffset? Time(this UserProfile profile, string field) =>
        DateTimeOffset.TryParse(profile.Text(field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static Guid? Uuid(this UserProfile profile, string field) =>
        Guid.TryParse(profile.Text(field), out var id) ? id : null;

    public static IReadOnlyList<string> Texts(this UserProfile profile, string field) =>
        profile.Fields.GetValueOrDefault(field) is JsonArray a
            ? a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
            : [];
}
