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
    Uuid,
    /// <summary>The user's further addresses: <c>[{ "email": … }]</c>, none an address another account has verified.</summary>
    Emails,
    /// <summary>The user's phone numbers: <c>[{ "phone_number": "+…" }]</c> in E.164.</summary>
    PhoneNumbers,
}

/// <summary>Where a field belongs in docs/api.md (documentation order).</summary>
public enum FieldGroup
{
    Names,
    Contact,
    Profile,
    Account,
    Billing,
    ReadOnly,
}

public sealed record ProfileField(string Name, FieldKind Kind, FieldAccess Access, int MaxLength = 255, bool Clearable = true,
    FieldGroup Group = FieldGroup.Profile)
{
    public bool IsSecret => Kind == FieldKind.Password;
    public bool IsReadOnly => Access == FieldAccess.ReadOnly;
}

/// <summary>
/// The one catalogue of writable and read-only fields: validation, authorization and the
/// OpenAPI document all read it, so a field's rules live in a single place.
/// </summary>
public static class ProfileFields
{
    /// <summary>Most entries a list field (emails, phone numbers, notifications, feature flags) may hold.</summary>
    public const int MaxListItems = 20;

    public static readonly IReadOnlyList<ProfileField> All =
    [
        new("first_name", FieldKind.Name, FieldAccess.User, MaxLength: 100, Group: FieldGroup.Names),
        new("middle_name", FieldKind.Name, FieldAccess.User, MaxLength: 100, Group: FieldGroup.Names),
        new("last_name", FieldKind.Name, FieldAccess.User, MaxLength: 100, Group: FieldGroup.Names),
        new("username", FieldKind.Username, FieldAccess.User, MaxLength: 39, Group: FieldGroup.Names),

        new("email", FieldKind.Email, FieldAccess.User, MaxLength: 254, Clearable: false, Group: FieldGroup.Contact),
        new("emails", FieldKind.Emails, FieldAccess.User, MaxLength: MaxListItems, Group: FieldGroup.Contact),
        new("phone_numbers", FieldKind.PhoneNumbers, FieldAccess.User, MaxLength: MaxListItems, Group: FieldGroup.Contact),
        new("phone", FieldKind.Phone, FieldAccess.User, MaxLength: 16, Group: FieldGroup.Contact),

        new("picture", FieldKind.Uri, FieldAccess.User, MaxLength: 2048),
        new("website", FieldKind.Uri, FieldAccess.User, MaxLength: 2048),
        new("company", FieldKind.Text, FieldAccess.User, MaxLength: 200),
        new("country", FieldKind.Country, FieldAccess.User, MaxLength: 2),
        new("state", FieldKind.Text, FieldAccess.User, MaxLength: 100),
        new("address", FieldKind.Text, FieldAccess.User, MaxLength: 500),
        new("birthdate", FieldKind.Birthdate, FieldAccess.User, MaxLength: 35),
        new("locale", FieldKind.Locale, FieldAccess.User, MaxLength: 35),
        new("notifications", FieldKind.Notifications, FieldAccess.User, MaxLength: MaxListItems),
        new("feature_flags", FieldKind.FeatureFlags, FieldAccess.User, MaxLength: MaxListItems),
        new("expo_push_token", FieldKind.ExpoPushToken, FieldAccess.User, MaxLength: 255),
        new("password", FieldKind.Password, FieldAccess.User, MaxLength: 128, Clearable: false),

        new("is_active", FieldKind.Boolean, FieldAccess.Admin, Clearable: false, Group: FieldGroup.Account),
        new("is_superuser", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Account),
        new("role_id", FieldKind.Uuid, FieldAccess.Admin, Group: FieldGroup.Account),
        new("is_enterprise", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Account),
        new("namespace", FieldKind.Text, FieldAccess.Admin, MaxLength: 100, Group: FieldGroup.Account),
        new("consented_at", FieldKind.Timestamp, FieldAccess.Admin, Group: FieldGroup.Account),
        new("consent_method", FieldKind.ConsentMethod, FieldAccess.Admin, Group: FieldGroup.Account),

        new("active_billing_plan_id", FieldKind.Uuid, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("next_billing_plan_id", FieldKind.Uuid, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("stripe_customer_id", FieldKind.Text, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("stripe_subscription_id", FieldKind.Text, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("stripe_subscription_status", FieldKind.Text, FieldAccess.Admin, MaxLength: 50, Group: FieldGroup.Billing),
        new("stripe_has_payment_method", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("is_trial", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("used_trial", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("is_paying", FieldKind.Boolean, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("stripe_last_payment_date", FieldKind.Timestamp, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("billing_updated_at", FieldKind.Timestamp, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("last_credits_refresh", FieldKind.Timestamp, FieldAccess.Admin, Group: FieldGroup.Billing),
        new("next_credits_refresh", FieldKind.Timestamp, FieldAccess.Admin, Group: FieldGroup.Billing),

        new("id", FieldKind.Uuid, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("email_verified", FieldKind.Boolean, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("created_at", FieldKind.Timestamp, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("updated_at", FieldKind.Timestamp, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("version", FieldKind.Integer, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("follower_count", FieldKind.Integer, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
        new("following_count", FieldKind.Integer, FieldAccess.ReadOnly, Group: FieldGroup.ReadOnly),
    ];

    private static readonly Dictionary<string, ProfileField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Fields the service computes; a client sending one is told it is read-only.</summary>
    public static readonly IReadOnlySet<string> ReadOnly =
        All.Where(f => f.IsReadOnly).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Fields a client may send (to some of them only admins).</summary>
    public static readonly IReadOnlyList<ProfileField> Writable = All.Where(f => !f.IsReadOnly).ToList();

    public static ProfileField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>
    /// Fields kept in the generic profile bag; the others have typed state and events of their own
    /// (email, password, activation, the emails and phone-number collections).
    /// </summary>
    public static bool IsBagField(string name) =>
        name is not ("email" or "password" or "is_active" or "emails" or "phone_numbers") && !ReadOnly.Contains(name);
}
