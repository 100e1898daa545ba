using System.Text.Json.Nodes;

namespace Users.Domain.Events;

/// <summary>
/// How each event looks once its user is erased: personal values become <see cref="Erased"/>, field names
/// and everything else stay, so the history still tells who changed which field when.
/// Marten applies these to the stored events (event data masking).
/// </summary>
public static class PersonalData
{
    public const string Erased = "[erased]";

    public static UserRegistered Mask(UserRegistered e) => e with
    {
        Email = Erased,
        Profile = e.Profile.ToDictionary(kv => kv.Key, kv => MaskValue(kv.Value), StringComparer.Ordinal),
        PasswordHash = e.PasswordHash is null ? null : Erased,
    };

    public static UserProfileUpdated Mask(UserProfileUpdated e) => e with
    {
        Changes = e.Changes.ToDictionary(kv => kv.Key,
            kv => new FieldChange(MaskValue(kv.Value.From), MaskValue(kv.Value.To)), StringComparer.Ordinal),
    };

    public static EmailChanged Mask(EmailChanged e) => e with { OldEmail = Erased, NewEmail = Erased };

    public static EmailVerificationRequested Mask(EmailVerificationRequested e) => e with { Email = Erased };

    public static EmailVerified Mask(EmailVerified e) => e with { Email = Erased };

    public static EmailVerificationResendRequested Mask(EmailVerificationResendRequested e) => e with { Email = Erased };

    public static PasswordChanged Mask(PasswordChanged e) => e with { PasswordHash = Erased };

    public static EmailChangeReverted Mask(EmailChangeReverted e) => e with { RevertedEmail = Erased, RestoredEmail = Erased };

    public static SecondaryEmailAdded Mask(SecondaryEmailAdded e) => e with { Email = Erased };

    public static SecondaryEmailRemoved Mask(SecondaryEmailRemoved e) => e with { Email = Erased };

    public static PhoneNumberAdded Mask(PhoneNumberAdded e) => e with { PhoneNumber = Erased };

    public static PhoneNumberRemoved Mask(PhoneNumberRemoved e) => e with { PhoneNumber = Erased };

    public static SecondaryEmailVerified Mask(SecondaryEmailVerified e) => e with { Email = Erased };

    public static SecondaryEmailVerificationResendRequested Mask(SecondaryEmailVerificationResendRequested e) => e with { Email = Erased };

    public static PhoneNumberVerificationRequested Mask(PhoneNumberVerificationRequested e) => e with { PhoneNumber = Erased };

    public static PhoneNumberVerified Mask(PhoneNumberVerified e) => e with { PhoneNumber = Erased };

    /// <summary>A reason may quote the person.</summary>
    public static UserDeactivated Mask(UserDeactivated e) => e with { Reason = e.Reason is null ? null : Erased };

    // A cleared value (null) is no personal data, and keeping it shows the field was cleared.
    private static JsonNode? MaskValue(JsonNode? value) => value is null ? null : JsonValue.Create(Erased);
}
