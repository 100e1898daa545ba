using System.Text.Json.Nodes;
using Users.Domain.Events;
using Users.Domain.Profile;

namespace Users.Domain.History;

/// <summary>
/// Field-level changes of a user's events, computed by replaying the stream: each event is compared
/// with the state the events before it built, so "from" is what the user had at that moment.
/// Secrets (password hashes) never leave: their values read as <see cref="Redacted"/>.
/// </summary>
public static class FieldHistory
{
    public const string Redacted = "[redacted]";

    /// <summary>The changes of every event, in the order given (oldest first).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, FieldChange>> Replay(IEnumerable<object> events)
    {
        var state = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var result = new List<IReadOnlyDictionary<string, FieldChange>>();
        foreach (var e in events)
        {
            var changes = new SortedDictionary<string, FieldChange>(StringComparer.Ordinal);
            // Follows are a set, not a field value: each event names the one user it adds or removes.
            if (e is UserFollowed followed)
                changes["following"] = new FieldChange(null, JsonValue.Create(followed.FolloweeId.ToString()));
            if (e is UserUnfollowed unfollowed)
                changes["following"] = new FieldChange(JsonValue.Create(unfollowed.FolloweeId.ToString()), null);
            foreach (var (field, value, always) in Touched(e, state))
            {
                var before = state.GetValueOrDefault(field);
                var after = Secret(field) && value is not null ? JsonValue.Create(Redacted) : value;
                if (always || !JsonNode.DeepEquals(before, after))
                    changes[field] = new FieldChange(before?.DeepClone(), after?.DeepClone());
                if (after is null)
                    state.Remove(field);
                else
                    state[field] = after.DeepClone();
            }
            result.Add(new Dictionary<string, FieldChange>(changes, StringComparer.Ordinal));
        }
        return result;
    }

    private static bool Secret(string field) => ProfileFields.Find(field)?.IsSecret == true;

    /// <summary>
    /// The fields an event sets, with their new values. <c>Always</c> marks a change the event asserts
    /// (a field the user changed), reported even when masking after an erasure made both values alike.
    /// </summary>
    private static IEnumerable<(string Field, JsonNode? Value, bool Always)> Touched(object e, IReadOnlyDictionary<string, JsonNode?> state)
    {
        switch (e)
        {
            case UserRegistered r:
                yield return ("email", r.Email, true);
                yield return ("email_verified", false, false);
                yield return ("is_active", true, false);
                foreach (var (field, value) in r.Profile.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    if (value is not null)
                        yield return (field, value, true);
                if (r.PasswordHash is not null)
                    yield return ("password", r.PasswordHash, true);
                break;
            case UserProfileUpdated u:
                foreach (var (field, change) in u.Changes)
                    yield return (field, change.To, true);
                break;
            case EmailChanged c:
                yield return ("email", c.NewEmail, true);
                yield return ("email_verified", false, false);
                break;
            case EmailVerified v:
                if (state.GetValueOrDefault("email") is JsonValue current && current.TryGetValue<string>(out var email)
                    && string.Equals(email, v.Email, StringComparison.OrdinalIgnoreCase))
                    yield return ("email_verified", true, false);
                break;
            case PasswordChanged p:
                yield return ("password", p.PasswordHash, true);
                break;
            case EmailChangeReverted r:
                yield return ("email", r.RestoredEmail, true);
                yield return ("email_verified", true, false);
                break;
            case SecondaryEmailAdded a:
                yield return ("emails", With(state.GetValueOrDefault("emails"), a.Email), true);
                break;
            case SecondaryEmailRemoved r:
                yield return ("emails", Without(state.GetValueOrDefault("emails"), r.Email), true);
                yield return ("verified_emails", Without(state.GetValueOrDefault("verified_emails"), r.Email), false);
                break;
            // Verified addresses and numbers read as their own lists, beside the lists of all of them.
            case SecondaryEmailVerified v:
                yield return ("verified_emails", With(state.GetValueOrDefault("verified_emails"), v.Email), true);
                break;
            case PhoneNumberVerified v:
                yield return ("verified_phone_numbers", With(state.GetValueOrDefault("verified_phone_numbers"), v.PhoneNumber), true);
                break;
            case PhoneNumberAdded a:
                yield return ("phone_numbers", With(state.GetValueOrDefault("phone_numbers"), a.PhoneNumber), true);
                break;
            case PhoneNumberRemoved r:
                yield return ("phone_numbers", Without(state.GetValueOrDefault("phone_numbers"), r.PhoneNumber), true);
                yield return ("verified_phone_numbers", Without(state.GetValueOrDefault("verified_phone_numbers"), r.PhoneNumber), false);
                break;
            case UserDeactivated:
                yield return ("is_active", false, false);
                break;
            case UserReactivated:
                yield return ("is_active", true, false);
                break;
            case UserErased:
                foreach (var field in state.Keys.Where(f => f is not ("email_verified" or "is_active")).Order(StringComparer.Ordinal).ToList())
                    yield return (field, null, true);
                yield return ("email_verified", false, false);
                yield return ("is_active", false, false);
                yield return ("is_erased", true, false);
                break;
            default:
                // EmailVerificationRequested (a mail was sent) and the requests for mails and codes change no field of the profile.
                break;
        }
    }

    // The sub-collections read as the list of their values; an empty one as cleared (null).
    private static JsonNode With(JsonNode? list, string value) =>
        new JsonArray([.. Values(list).Append(value).Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonNode? Without(JsonNode? list, string value)
    {
        var rest = Values(list).ToList();
        var at = rest.FindIndex(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
        if (at >= 0)
            rest.RemoveAt(at);
        return rest.Count == 0 ? null : new JsonArray([.. rest.Select(v => (JsonNode)JsonValue.Create(v))]);
    }

    private static IEnumerable<string> Values(JsonNode? list) =>
        list is JsonArray array ? array.Select(v => v!.GetValue<string>()) : [];
}
