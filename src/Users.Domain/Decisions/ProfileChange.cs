using System.Text.Json.Nodes;
using Users.Domain.Events;
using Users.Domain.Rules;

namespace Users.Domain.Decisions;

/// <summary>
/// A merge patch (RFC 7396) over the profile, already validated: a key present with a value sets it,
/// present with null clears it, absent leaves it alone. The password arrives hashed.
/// </summary>
public sealed record ProfilePatch(IReadOnlyDictionary<string, JsonNode?> Values, string? NewPasswordHash = null);

public static class ProfileChange
{
    /// <summary>
    /// Decides the events of a profile update: only what differs from the current state.
    /// An update that changes nothing decides no event.
    /// </summary>
    public static IReadOnlyList<object> Decide(User current, ProfilePatch patch)
    {
        var events = new List<object>();
        var changes = new Dictionary<string, FieldChange>(StringComparer.Ordinal);

        foreach (var (field, value) in patch.Values)
        {
            if (field is "email" or "password")
                continue;
            var before = current.Get(field);
            if (!JsonNode.DeepEquals(before, value))
                changes[field] = new FieldChange(before?.DeepClone(), value?.DeepClone());
        }

        if (changes.Count > 0)
            events.Add(new UserProfileUpdated(changes));

        if (patch.Values.TryGetValue("email", out var emailNode) && emailNode is not null)
        {
            var email = emailNode.GetValue<string>();
            // Case-only edits keep the same mailbox, so they are not a change of address.
            if (!string.Equals(EmailAddress.Normalize(email), EmailAddress.Normalize(current.Email), StringComparison.Ordinal))
                events.Add(new EmailChanged(current.Email, email));
        }

        if (patch.NewPasswordHash is not null)
            events.Add(new PasswordChanged(patch.NewPasswordHash));

        return events;
    }
}
