using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>One profile field's value before and after a <see cref="UserProfileUpdated"/>.</summary>
public sealed record FieldChange
{
    /// <summary>The value before; null when the field was absent.</summary>
    [JsonPropertyName("from")] public JsonNode? From { get; init; }
    /// <summary>The value after; null when the field was removed.</summary>
    [JsonPropertyName("to")] public JsonNode? To { get; init; }
}
