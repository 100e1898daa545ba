using System.Text.Json.Nodes;

namespace Users.Domain.Events.Versions;

/// <summary>
/// The first shape of a profile update, stored as <c>user_profile_updated_v1</c>: only the new values,
/// <c>{"fields": {"first_name": "Ada"}}</c>. Never appended any more; read through the upcaster as
/// <see cref="UserProfileUpdated"/> (see docs/event-versioning.md).
/// </summary>
public sealed record UserProfileUpdatedV1(Dictionary<string, JsonNode?> Fields)
{
    public const string EventTypeName = "user_profile_updated_v1";

    /// <summary>The old shape had no "from": it reads as unknown (null); history recomputes it by replaying.</summary>
    public UserProfileUpdated Upcast() => new(Fields.ToDictionary(kv => kv.Key,
        kv => new FieldChange(null, kv.Value?.DeepClone()), StringComparer.Ordinal));
}
