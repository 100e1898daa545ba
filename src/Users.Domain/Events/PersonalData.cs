using System.Text.Json.Nodes;

namespace Users.Domain.Events;

/// <summary>
/// The one list of the personal values in each event type: emails, names, profile values, password hashes, a
/// deactivation reason. <see cref="Transform"/> applies a <see cref="Treatment"/> to exactly those; ids,
/// versions, times, field names and cleared values (null) stay. Masking (Marten event data masking, for streams
/// written before encryption), sealing and opening (Users.Projections/Encryption) all go through it, so a new event
/// type needs one case here: Auditing/PersonalDataMaskingTests fails otherwise.
/// </summary>
public static class PersonalData
{
    public const string Erased = "[erased]";

    /// <summary>
    /// What to do with each personal value of an event: mask it (erasure of a plaintext stream), seal it (encrypt it
    /// before it is stored) or open it (decrypt it when read). Text members and JSON profile values differ only in
    /// how they travel, so each has its function.
    /// </summary>
    public sealed record Treatment(Func<string, string> Text, Func<JsonNode, JsonNode?> Json);

    public static readonly Treatment Masking = new(_ => Erased, _ => JsonValue.Create(Erased));

    /// <summary>The event as it looks once its user is erased: personal values become <see cref="Erased"/>.</summary>
    public static T Mask<T>(T e) where T : notnull => (T)Transform(e, Masking);

    /// <summary>A copy of the event with <paramref name="values"/> applied to its personal values; the event itself when it has none.</summary>
    public static object Transform(object e, Treatment values) => e switch
    {
        UserRegistered r => r with
        {
            Email = values.Text(r.Email),
            Profile = Json(r.Profile, values),
            PasswordHash = Text(r.PasswordHash, values),
        },
        UserProfileUpdated u => u with
        {
            Changes = u.Changes.ToDictionary(kv => kv.Key,
                kv => new FieldChange(Json(kv.Value.From, values), Json(kv.Value.To, values)), StringComparer.Ordinal),
        },
        EmailChanged c => c with { OldEmail = values.Text(c.OldEmail), NewEmail = values.Text(c.NewEmail) },
        EmailVerificationRequested r => r with { Email = values.Text(r.Email) },
        EmailVerified v => v with { Email = values.Text(v.Email) },
        EmailVerificationResendRequested r => r with { Email = values.Text(r.Email) },
        PasswordChanged p => p with { PasswordHash = values.Text(p.PasswordHash) },
        EmailChangeReverted r => r with { RevertedEmail = values.Text(r.RevertedEmail), RestoredEmail = values.Text(r.RestoredEmail) },
        SecondaryEmailAdded a => a with { Email = values.Text(a.Email) },
        SecondaryEmailRemoved r => r with { Email = values.Text(r.Email) },
        PhoneNumberAdded a => a with { PhoneNumber = values.Text(a.PhoneNumber) },
        PhoneNumberRemoved r => r with { PhoneNumber = values.Text(r.PhoneNumber) },
        SecondaryEmailVerified v => v with { Email = values.Text(v.Email) },
        SecondaryEmailVerificationResendRequested r => r with { Email = values.Text(r.Email) },
        PhoneNumberVerificationRequested r => r with { PhoneNumber = values.Text(r.PhoneNumber) },
        PhoneNumberVerified v => v with { PhoneNumber = values.Text(v.PhoneNumber) },
        // A reason may quote the person.
        UserDeactivated d => d with { Reason = Text(d.Reason, values) },
        _ => e,
    };

    /// <summary>Whether the event holds a personal value <paramref name="isPersonal"/> says is one (e.g. plaintext left unmasked).</summary>
    public static bool Holds(object e, Func<string, bool> isPersonal)
    {
        var found = false;
        Transform(e, new Treatment(
            text => { found |= isPersonal(text); return text; },
            json => { found |= isPersonal(json is JsonValue v && v.TryGetValue<string>(out var s) ? s : json.ToJsonString()); return json; }));
        return found;
    }

    // A cleared value (null) is no personal data, and keeping it shows the field was cleared.
    private static string? Text(string? value, Treatment values) => value is null ? null : values.Text(value);

    private static JsonNode? Json(JsonNode? value, Treatment values) => value is null ? null : values.Json(value);

    private static Dictionary<string, JsonNode?> Json(Dictionary<string, JsonNode?> profile, Treatment values) =>
        profile.ToDictionary(kv => kv.Key, kv => Json(kv.Value, values), StringComparer.Ordinal);
}
