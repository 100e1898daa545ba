using System.Text.Json.Nodes;

namespace Users.Api.Users.ReadingHistory;

/// <summary>A field's value before and after an event (null: absent or cleared; secrets redacted).</summary>
public sealed record FieldChangeView(JsonNode? From, JsonNode? To);
