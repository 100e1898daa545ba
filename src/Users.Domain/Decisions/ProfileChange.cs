using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Domain.Events;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Domain.Decisions;

/// <summary>
/// A merge patch (RFC 7396) over the profile, already validated: a key present with a value sets it,
/// present with null clears it, absent leaves it alone. Arrays (emails, phone numbers, notifications,
/// feature flags) are replaced whole, as RFC 7396 says. The password arrives hashed.
/// </summary>
public sealed record ProfilePatch(IReadOnlyDictionary<string, JsonNode?> Values, string? NewPasswordHash = null)
{
    /// <summary>Ids for new emails and phone numbers; injected so that deciding stays a pure function.</summary>
    public Func<Guid> NewId { get; init; } = Guid.CreateVersion7;

    public bool Has(string field) => Values.ContainsKey(field);
}

public static class ProfileChange
{
    /// <summary>
    /// <see cref="Decide(User, ProfilePatch)"/> under the cap on changes of address: a patch that would change
    /// the address once too often in the hour decides nothing, and says when a change is allowed again.
    /// </summary>
    public static (IReadOnlyList<object> Events, EmailChangeRefused? Refused) Decide(User current, ProfilePatch patch,
        EmailChangeCap cap, DateTimeOffset now)
    {
        var events = Decide(current, patch);
        if (events.Any(e => e is EmailChanged) && cap.NextAllowed(current.EmailChangedAt, now) is { } allowedAt)
            return ([], new EmailChangeRefused(cap.PerHour!.Value, allowedAt));
        return (events, null);
    }

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
            if (!ProfileFields.IsBagField(field))
                continue;
            var before = current.Get(field);
            if (!JsonNode.DeepEquals(before, value))
                changes[field] = new FieldChange(before?.DeepClone(), value?.DeepClone());
        }
        if (changes.Count > 0)
            events.Add(new UserProfileUpdated(changes));

        DecideEmails(current, patch, events);
        DecidePhoneNumbers(current, patch, events);

        if (patch.NewPasswordHash is not null)
            events.Add(new PasswordChanged(patch.NewPasswordHash));

        if (patch.Values.TryGetValue("is_active", out var active) && active?.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            var wanted = active.GetValue<bool>();
            if (wanted != current.IsActive)
                events.Add(wanted ? new UserReactivated() : new UserDeactivated());
        }

        return events;
    }

    // Removals come before the change of primary and additions after it, so that an address moving
    // between primary and secondary is released before it is claimed again (see UniquenessProjection).
    private static void DecideEmails(User current, ProfilePatch patch, List<object> events)
    {
        string? newPrimary = null;
        if (patch.Values.TryGetValue("email", out var emailNode) && emailNode?.GetValue<string>() is { } email
            // Case-only edits keep the same mailbox, so they are not a change of address.
            && !SameAddress(email, current.Email))
            newPrimary = email;
        var primary = newPrimary ?? current.Email;

        List<SecondaryEmail> removed;
        List<string> added = [];
        if (patch.Has("emails"))
        {
            // The primary address is not a secondary one: listing it (as some clients do) is not an addition.
            var wanted = Addresses(patch.Values["emails"], "email")
                .Where(a => !SameAddress(a, primary))
                .DistinctBy(EmailAddress.Normalize)
                .ToList();
            removed = current.Emails.Where(e => !wanted.Any(w => SameAddress(w, e.Email))).ToList();
            added = wanted.Where(w => !current.Emails.Any(e => SameAddress(w, e.Email))).ToList();
        }
        else
            removed = current.Emails.Where(e => SameAddress(e.Email, primary)).ToList();

        events.AddRange(removed.Select(e => new SecondaryEmailRemoved(e.Id, e.Email)));
        if (newPrimary is not null)
            events.Add(new EmailChanged(current.Email, newPrimary));
        events.AddRange(added.Select(a => new SecondaryEmailAdded(patch.NewId(), a)));
    }

    private static void DecidePhoneNumbers(User current, ProfilePatch patch, List<object> events)
    {
        if (!patch.Has("phone_numbers"))
            return;
        var wanted = Addresses(patch.Values["phone_numbers"], "phone_number").Distinct(StringComparer.Ordinal).ToList();
        events.AddRange(current.PhoneNumbers.Where(p => !wanted.Contains(p.PhoneNumber))
            .Select(p => new PhoneNumberRemoved(p.Id, p.PhoneNumber)));
        events.AddRange(wanted.Where(w => current.PhoneNumbers.All(p => p.PhoneNumber != w))
            .Select(w => new PhoneNumberAdded(patch.NewId(), w)));
    }

    /// <summary>The values of a validated sub-collection <c>[{ key: value }]</c>; null clears it.</summary>
    private static IEnumerable<string> Addresses(JsonNode? list, string key) =>
        list is JsonArray array ? array.Select(item => item![key]!.GetValue<string>()) : [];

    private static bool SameAddress(string a, string b) =>
        string.Equals(EmailAddress.Normalize(a), EmailAddress.Normalize(b), StringComparison.Ordinal);
}
