using System.Text.Json.Serialization;

namespace Users.Contracts;

/// <summary>Profile fields changed: only the fields that changed. The password never appears (see <see cref="PasswordChanged"/>).</summary>
public sealed record UserProfileUpdated : UserEvent
{
    /// <summary>Field name (snake_case, as in the API) → {from, to}; secrets are never included.</summary>
    [JsonPropertyName("changes")] public Dictionary<string, FieldChange> Changes { get; init; } = new();
}
