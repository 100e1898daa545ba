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
        new("is_active", FieldKind.Boolean, FieldAccess.Admin),
        new("role_id", FieldKind.Text, FieldAccess.Admin),
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
