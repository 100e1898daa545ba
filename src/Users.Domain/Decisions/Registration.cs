using System.Text.Json.Nodes;
using Users.Domain.Events;
using Users.Domain.Profile;

namespace Users.Domain.Decisions;

public static class Registration
{
    /// <summary>
    /// The first events of a user's stream: UserRegistered with the profile values (empty ones left out),
    /// then what has typed events of its own (emails, phone numbers, an inactive start), decided as a
    /// first update of the new user.
    /// </summary>
    public static IReadOnlyList<object> Decide(Guid userId, string email, IReadOnlyDictionary<string, JsonNode?> profile,
        string? passwordHash, Func<Guid>? newId = null)
    {
        var registered = new UserRegistered(userId, email,
            profile.Where(kv => kv.Value is not null && ProfileFields.IsBagField(kv.Key))
                .ToDictionary(kv => kv.Key, kv => kv.Value!.DeepClone(), StringComparer.Ordinal)!,
            passwordHash);

        var typed = profile.Where(kv => kv.Key is "emails" or "phone_numbers" or "is_active")
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var rest = ProfileChange.Decide(User.Create(registered),
            new ProfilePatch(typed) { NewId = newId ?? Guid.CreateVersion7 });
        return [registered, .. rest];
    }
}
