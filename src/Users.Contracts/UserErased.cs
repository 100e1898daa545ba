using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>The user's personal data was erased; downstream services must erase theirs.</summary>
public sealed record UserErased : UserEvent
{
    /// <summary>The names of the erased fields, never their values.</summary>
    [JsonPropertyName("erased_fields")] public List<string> ErasedFields { get; init; } = [];
}
