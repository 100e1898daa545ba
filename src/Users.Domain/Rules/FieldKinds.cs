using System.Globalization;
using System.Text.RegularExpressions;
using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>
/// Every field kind's definition (<see cref="FieldKindRule"/>): the validator, the OpenAPI document and the
/// docs/api.md field table all read these, so a kind's rule is written once. Adding a kind: a value of
/// <see cref="FieldKind"/> and its entry here (FieldKindsTests fails on a kind without one).
/// </summary>
public static partial class FieldKinds
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public static readonly DateOnly EarliestBirthdate = new(1900, 1, 1);

    public const string UsernamePattern = "^[a-z0-9_.-]{3,39}$";
    public const string ExpoPushTokenPattern = @"^(ExponentPushToken|ExpoPushToken)\[[A-Za-z0-9_-]{1,200}\]$";
    public const string TimestampPattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$";
    public const string CountryPattern = "^[A-Z]{2}$";
    public const string UriPattern = "^https?://";

    public static FieldKindRule Of(FieldKind kind) =>
        Rules.TryGetValue(kind, out var rule) ? rule : throw new InvalidOperationException($"Field kind {kind} has no rule in FieldKinds.");

    public static IEnumerable<FieldKind> Defined => Rules.Keys;

    private static readonly Dictionary<FieldKind, FieldKindRule> Rules = new()
    {
        [FieldKind.Name] = new(
            (f, _) => Text(f) with { MinLength = 1 },
            f => $"string, 1–{f.MaxLength} characters, not blank",
            (f, s, _, _) => s!.Trim().Length == 0 || s.Length > f.MaxLength ? $"'{f.Name}' must be 1 to {f.MaxLength} characters." : null),
        [FieldKind.Text] = new(
            (f, _) => Text(f),
            f => $"string, at most {f.MaxLength} characters (line breaks allowed)",
            (f, s, _, _) => s!.Length > f.MaxLength ? $"'{f.Name}' must be at most {f.MaxLength} characters." : null,
            AllowsLineBreaks: true),
        [FieldKind.Username] = new(
            (f, _) => Text(f) with { MinLength = 3, Pattern = UsernamePattern },
            _ => "string, 3–39 characters of `[a-z0-9_.-]`; unique",
            (f, s, _, _) => Username().IsMatch(s!) ? null : $"'{f.Name}' must be 3 to 39 characters of a-z, 0-9, '_', '.' and '-'."),
        [FieldKind.Email] = new(
            (f, _) => Text(f) with { Format = "email" },
            _ => $"email address, at most {EmailAddress.MaxLength} characters ({EmailAddress.MaxLocalPartLength} before the @); compared by its normalized key (NFC, IDNA domain, case-folded); one account at most holds it **verified** (an unverified address blocks nobody, see Uniqueness); a change marks it unverified and mails the new address",
            (f, s, _, _) => EmailAddress.IsValid(s) ? null
                : $"'{f.Name}' is not a valid email address (at most {EmailAddress.MaxLength} characters, {EmailAddress.MaxLocalPartLength} before the @)."),
        [FieldKind.Password] = new(
            (f, _) => Text(f) with { MinLength = MinPasswordLength },
            _ => $"string, {MinPasswordLength}–{MaxPasswordLength} characters; write-only, stored as a salted hash",
            (_, s, _, _) => s!.Length < MinPasswordLength ? $"Password is too short (minimum is {MinPasswordLength} characters)."
                : s.Length > MaxPasswordLength ? $"Password is too long (maximum is {MaxPasswordLength} characters)." : null),
        [FieldKind.Uri] = new(
            (f, _) => Text(f) with { Format = "uri", Pattern = UriPattern },
            f => $"absolute `http`/`https` URI, at most {f.MaxLength} characters",
            (f, s, _, _) => s!.Length <= f.MaxLength && Uri.TryCreate(s, UriKind.Absolute, out var uri)
                            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)
                ? null : $"'{f.Name}' must be an absolute http(s) URI of at most {f.MaxLength} characters."),
        [FieldKind.Country] = new(
            (f, _) => Text(f) with { Pattern = CountryPattern },
            _ => "ISO 3166-1 alpha-2 code in upper case, one of the 249 assigned (`FR`, `GB`; not `UK`, `fr`)",
            (f, s, _, _) => CountryCode.IsAssigned(s!) ? null : $"'{f.Name}' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. \"FR\"."),
        [FieldKind.Phone] = new(
            (f, _) => Text(f) with { Pattern = PhoneNumber.E164Shape },
            _ => "E.164 (`+14155552671`), a valid number per libphonenumber",
            (f, s, _, _) => PhoneNumber.IsE164(s) ? null : $"'{f.Name}' must be a valid phone number in E.164 format, e.g. \"+14155552671\"."),
        [FieldKind.Birthdate] = new(
            (f, _) => Text(f),
            _ => $"date `YYYY-MM-DD` (before today) or ISO 8601 date-time (before now); on or after {EarliestBirthdate:yyyy-MM-dd}",
            (f, s, _, clock) => CheckBirthdate(f.Name, s!, clock)),
        [FieldKind.Locale] = new(
            (f, sets) => Text(f) with { Enum = sets.Locales.Order().ToList() },
            _ => "one of `Users:Locales` (default `en`, `fr`)",
            (f, s, sets, _) => sets.Locales.Contains(s!) ? null : $"'{f.Name}' must be one of: {string.Join(", ", sets.Locales.Order())}."),
        [FieldKind.ExpoPushToken] = new(
            (f, _) => Text(f) with { Pattern = ExpoPushTokenPattern },
            _ => "`ExponentPushToken[…]` or `ExpoPushToken[…]` (letters, digits, `_`, `-` inside)",
            (f, s, _, _) => ExpoPushToken().IsMatch(s!) ? null : $"'{f.Name}' must be ExponentPushToken[…] or ExpoPushToken[…]."),
        [FieldKind.Boolean] = new(
            (_, _) => new ValueSchema(ValueSchema.Boolean),
            _ => "`true` or `false`"),
        [FieldKind.Timestamp] = new(
            (_, _) => new ValueSchema(ValueSchema.String) { Format = "date-time", Pattern = TimestampPattern },
            _ => "ISO 8601 date-time with offset (`2024-01-15T10:30:00Z`)",
            (f, s, _, _) => IsTimestamp(s!, out _) ? null : $"'{f.Name}' must be an ISO 8601 date-time with an offset, e.g. \"2024-01-15T10:30:00Z\"."),
        [FieldKind.ConsentMethod] = new(
            (_, _) => new ValueSchema(ValueSchema.String) { Enum = ["opt-in", "text-ref"] },
            _ => "`opt-in` or `text-ref`",
            (f, s, _, _) => s is "opt-in" or "text-ref" ? null : $"'{f.Name}' must be \"opt-in\" or \"text-ref\"."),
        [FieldKind.Notifications] = new(
            (f, sets) => Strings(f, sets.Notifications),
            f => $"array of distinct strings from `Users:Notifications` (default `email_new_transaction`, `push_new_transaction`), at most {f.MaxLength}",
            (f, s, sets, _) => s is not null && sets.Notifications.Contains(s) ? null
                : $"'{f.Name}' entries must be one of: {string.Join(", ", sets.Notifications.Order())}."),
        [FieldKind.FeatureFlags] = new(
            (f, sets) => Strings(f, sets.FeatureFlags),
            f => $"array of distinct strings from `Users:FeatureFlags` (default `affiliate`), at most {f.MaxLength}",
            (f, s, sets, _) => s is not null && sets.FeatureFlags.Contains(s) ? null
                : $"'{f.Name}' entries must be one of: {string.Join(", ", sets.FeatureFlags.Order())}."),
        [FieldKind.Integer] = new(
            (_, _) => new ValueSchema(ValueSchema.Integer) { Format = "int64" },
            _ => "integer"),
        [FieldKind.Uuid] = new(
            (_, _) => new ValueSchema(ValueSchema.String) { Format = "uuid" },
            _ => "UUID",
            (f, s, _, _) => Guid.TryParseExact(s, "D", out _) ? null : $"'{f.Name}' must be a UUID."),
        [FieldKind.Emails] = new(
            (f, _) => Entries(f, "email", new ValueSchema(ValueSchema.String) { Format = "email", MaxLength = EmailAddress.MaxLength }),
            f => $"array (at most {f.MaxLength}) of `{{\"email\": …}}`, distinct; none may be an address another account has verified; replaces the set (the primary address, if listed, is skipped); returned with `id`, `verified`, `created_at`, `updated_at`",
            (f, s, _, _) => EmailAddress.IsValid(s) ? null
                : $"'{f.Name}' entries need a valid email address (at most {EmailAddress.MaxLength} characters).",
            EntryKey: "email"),
        [FieldKind.PhoneNumbers] = new(
            (f, _) => Entries(f, "phone_number", new ValueSchema(ValueSchema.String) { Pattern = PhoneNumber.E164Shape }),
            f => $"array (at most {f.MaxLength}) of `{{\"phone_number\": …}}` in E.164, distinct; replaces the set; returned with `id`, `verified`, `created_at`, `updated_at`",
            (f, s, _, _) => PhoneNumber.IsE164(s) ? null
                : $"'{f.Name}' entries need a valid phone number in E.164 format, e.g. \"+14155552671\".",
            EntryKey: "phone_number"),
    };

    public static bool IsTimestamp(string s, out DateTimeOffset value)
    {
        value = default;
        return Timestamp().IsMatch(s)
               && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    private static string? CheckBirthdate(string name, string s, TimeProvider clock)
    {
        bool past;
        DateOnly date;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            past = date < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        else if (IsTimestamp(s, out var instant))
        {
            past = instant < clock.GetUtcNow();
            date = DateOnly.FromDateTime(instant.UtcDateTime);
        }
        else
            return $"'{name}' must be a date (\"1990-12-31\") or an ISO 8601 date-time.";

        if (!past)
            return $"'{name}' must be in the past.";
        return date < EarliestBirthdate ? $"'{name}' must be on or after {EarliestBirthdate:yyyy-MM-dd}." : null;
    }

    private static ValueSchema Text(ProfileField field) => new(ValueSchema.String) { MaxLength = field.MaxLength };

    private static ValueSchema Strings(ProfileField field, IReadOnlySet<string> allowed) => new(ValueSchema.Array)
    {
        Items = new ValueSchema(ValueSchema.String) { Enum = allowed.Order().ToList() },
        MaxItems = field.MaxLength,
        UniqueItems = true,
    };

    private static ValueSchema Entries(ProfileField field, string key, ValueSchema value) => new(ValueSchema.Array)
    {
        Items = new ValueSchema(ValueSchema.Object) { Properties = new Dictionary<string, ValueSchema> { [key] = value } },
        MaxItems = field.MaxLength,
    };

    [GeneratedRegex(UsernamePattern)]
    private static partial Regex Username();

    [GeneratedRegex(ExpoPushTokenPattern)]
    private static partial Regex ExpoPushToken();

    [GeneratedRegex(TimestampPattern)]
    private static partial Regex Timestamp();
}
