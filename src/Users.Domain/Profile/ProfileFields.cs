namespace Users.Domain.Profile;

/// <summary>Who may write a field.</summary>
public enum FieldAccess
{
    /// <summary>The user themself (and admins).</summary>
    User,
    /// <summary>Admins only; a user sending it gets 403 naming the field.</summary>
    Admin,
    /// <summary>Nobody: computed by the service.</summary>
    ReadOnly,
}

/// <summary>The shape of a field's value, which decides the validation rule applied to it.</summary>
public enum FieldKind
{
    Name,
    Text,
    Username,
    Email,
    Password,
    Uri,
    Country,
    Phone,
    Birthdate,
    Locale,
    ExpoPushToken,
    Boolean,
    Timestamp,
    ConsentMethod,
    Notifications,
    FeatureFlags,
    Integer,
    /// <summary>The user's further addresses: <c>[{ "email": … }]</c>, each unique across all users.</summary>
    Emails,
    /// <summary>The user's phone numbers: <c>[{ "phone_number": "+…" }]</c> in E.164.</summary>
    PhoneNumbers,
}

public sealed record ProfileField(string Name, FieldKind Kind, FieldAccess Access, int MaxLength = 255, bool Clearable = true)
{
    public bool IsSecret => Kind == FieldKind.Password;
}

/// <summary>
/// The one catalogue of writable and read-only fields: validation, authorization and the
/// OpenAPI document all read it, so a field's rules live in a single place.
/// </summary>
public static class ProfileFields
{
    public static readonly IReadOnlyList<ProfileField> All =
    [
        new("email", FieldKind.Email, FieldAccess.User, MaxLength: 254, Clearable: false),
        new("password", FieldKind.Password, FieldAccess.User, MaxLength: 128, Clearable: false),
        new("first_name", FieldKind.Name, FieldAccess.User, MaxLength: 100),
        new("last_name", FieldKind.Name, FieldAccess.User, MaxLength: 100),
        // Minimal entries so the seed dialects can map onto every field (kinds and rules: DESIGN.md §3).
        new("middle_name", FieldKind.Name, FieldAccess.User, MaxLength: 100),
        new("username", FieldKind.Username, FieldAccess.User, MaxLength: 39),
        new("emails", FieldKind.Emails, FieldAccess.User),
        new("phone_numbers", FieldKind.PhoneNumbers, FieldAccess.User),
        new("phone", FieldKind.Phone, FieldAccess.User, MaxLength: 16),
        new("picture", FieldKind.Uri, FieldAccess.User, MaxLength: 2048),
        new("website", FieldKind.Uri, FieldAccess.User, MaxLength: 2048),
        new("company", FieldKind.Text, FieldAccess.User, MaxLength: 200),
        new("country", FieldKind.Country, FieldAccess.User, MaxLength: 2),
        new("state", FieldKind.Text, FieldAccess.User, MaxLength: 100),
        new("address", FieldKind.Text, FieldAccess.User, MaxLength: 500),
        new("birthdate", FieldKind.Birthdate, FieldAccess.User),
        new("locale", FieldKind.Locale, FieldAccess.User),
        new("notifications", FieldKind.Notifications, FieldAccess.User),
        new("feature_flags", FieldKind.FeatureFlags, FieldAccess.User),
        new("expo_push_token", FieldKind.ExpoPushToken, FieldAccess.User),
        new("is_active", FieldKind.Boolean, FieldAccess.Admin, Clearable: false),
        new("is_superuser", FieldKind.Boolean, FieldAccess.Admin),
        new("role_id", FieldKind.Text, FieldAccess.Admin),
        new("is_enterprise", FieldKind.Boolean, FieldAccess.Admin),
        new("namespace", FieldKind.Text, FieldAccess.Admin, MaxLength: 100),
        new("consented_at", FieldKind.Timestamp, FieldAccess.Admin),
        new("consent_method", FieldKind.ConsentMethod, FieldAccess.Admin),
        new("active_billing_plan_id", FieldKind.Text, FieldAccess.Admin),
        new("next_billing_plan_id", FieldKind.Text, FieldAccess.Admin),
        new("stripe_customer_id", FieldKind.Text, FieldAccess.Admin),
        new("stripe_subscription_id", FieldKind.Text, FieldAccess.Admin),
        new("stripe_subscription_status", FieldKind.Text, FieldAccess.Admin, MaxLength: 50),
        new("stripe_has_payment_method", FieldKind.Boolean, FieldAccess.Admin),
        new("is_trial", FieldKind.Boolean, FieldAccess.Admin),
        new("used_trial", FieldKind.Boolean, FieldAccess.Admin),
        new("is_paying", FieldKind.Boolean, FieldAccess.Admin),
        new("stripe_last_payment_date", FieldKind.Timestamp, FieldAccess.Admin),
        new("billing_updated_at", FieldKind.Timestamp, FieldAccess.Admin),
        new("last_credits_refresh", FieldKind.Timestamp, FieldAccess.Admin),
        new("next_credits_refresh", FieldKind.Timestamp, FieldAccess.Admin),
    ];

    private static readonly Dictionary<string, ProfileField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Fields the service computes; a client sending one is told it is read-only.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "created_at", "updated_at", "version", "email_verified", "follower_count", "following_count",
    };

    public static ProfileField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Fields kept in the profile bag (everything but the ones with events of their own).</summary>
    public static bool IsBagField(string name) => name is not ("email" or "password");
}
