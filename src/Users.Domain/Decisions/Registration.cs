using System.Text.Json.Nodes;
using Users.Domain.Events;

namespace Users.Domain.Decisions;

public static class Registration
{
    /// <summary>The first event of a user's stream; empty profile values are left out.</summary>
    public static UserRegistered Decide(Guid userId, string email, IReadOnlyDictionary<string, JsonNode?> profile, string? passwordHash) =>
        new(userId, email,
            profile.Where(kv => kv.Value is not null && kv.Key is not ("email" or "password"))
                .ToDictionary(kv => kv.Key, kv => kv.Value!.DeepClone(), StringComparer.Ordinal)!,
            passwordHash);
}
