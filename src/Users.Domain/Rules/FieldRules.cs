using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>The value rule of each field kind: the failures of one value, each under its JSON pointer.</summary>
public sealed partial class FieldRules(ProfileValueSets sets, TimeProvider clock)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public static readonly DateOnly EarliestBirthdate = new(1900, 1, 1);

    public IEnumerable<(string Path, string Message)> Check(ProfileField field, JsonNode node, string path)
    {
        if (field.Kind is FieldKind.Emails or FieldKind.PhoneNumbers or FieldKind.Notifications or FieldKind.FeatureFlags)
            return CheckList(field, node, path);
        return CheckScalar(field, node) is { } message ? [(path, message)] : [];
    }

    private string? CheckScalar(ProfileField field, JsonNode node)
    {
        var name = field.Name;
        if (field.Kind == FieldKind.Boolean)
            return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : $"'{name}' must be true or false.";
        if (AsString(node) is not { } s)
            return $"'{name}' must be a string.";
        if (!Text.IsClean(s, allowLineBreaks: field.Kind == FieldKind.Text))
            return $"'{name}' contains control characters or invalid Unicode.";

        return field.Kind switch
        {
            FieldKind.Email => EmailAddress.IsValid(s) ? null
                : $"'{name}' is not a valid email address (at most {EmailAddress.MaxLength} characters, {EmailAddress.MaxLocalPartLength} before the @).",
            FieldKind.Password => s.Length < MinPasswordLength ? $"Password is too short (minimum is {MinPasswordLength} characters)."
                : s.Length > MaxPasswordLength ? $"Password is too long (maximum is {MaxPasswordLength} characters)." : null,
            FieldKind.Name => s.Trim().Length == 0 || s.Length > field.MaxLength
                ? $"'{name}' must be 1 to {field.MaxLength} characters." : null,
            FieldKind.Username => UsernamePattern().IsMatch(s) ? null
                : $"'{name}' must be 3 to 39 characters of a-z, 0-9, '_', '.' and '-'.",
            FieldKind.Text => s.Length > field.MaxLength ? $"'{name}' must be at most {field.MaxLength} characters." : null,
            FieldKind.Uri => s.Length <= field.MaxLength && Uri.TryCreate(s, UriKind.Absolute, out var uri)
                             && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)
                ? null : $"'{name}' must be an absolute http(s) URI of at most {field.MaxLength} characters.",
            FieldKind.Country => CountryCode.IsAssigned(s) ? null
                : $"'{name}' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. \"FR\".",
            FieldKind.Phone => PhoneNumber.IsE164(s) ? null : $"'{name}' must be a valid phone number in E.164 format, e.g. \"+14155552671\".",
            FieldKind.Birthdate => CheckBirthdate(name, s),
            FieldKind.Locale => sets.Locales.Contains(s) ? null : $"'{name}' must be one of: {string.Join(", ", sets.Locales.Order())}.",
            FieldKind.ExpoPushToken => ExpoPushTokenPattern().IsMatch(s) ? null
                : $"'{name}' must be ExponentPushToken[…] or ExpoPushToken[…].",
            FieldKind.Timestamp => IsTimestamp(s, out _) ? null : $"'{name}' must be an ISO 8601 date-time with an offset, e.g. \"2024-01-15T10:30:00Z\".",
            FieldKind.ConsentMethod => s is "opt-in" or "text-ref" ? null : $"'{name}' must be \"opt-in\" or \"text-ref\".",
            FieldKind.Uuid => Guid.TryParseExact(s, "D", out _) ? null : $"'{name}' must be a UUID.",
            _ => $"'{name}' cannot be written.",
        };
    }

    private string? CheckBirthdate(string name, string s)
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

    private IEnumerable<(string, string)> CheckList(ProfileField field, JsonNode node, string path)
    {
        var name = field.Name;
        if (node is not JsonArray array)
        {
            yield return (path, $"'{name}' must be an array.");
            yield break;
        }
        if (array.Count > field.MaxLength)
        {
            yield return (path, $"'{name}' may hold at most {field.MaxLength} entries.");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}/{i}";
            var item = array[i];
            string? value;
            string? problem;
            switch (field.Kind)
            {
                case FieldKind.Emails:
                    (at, value, problem) = Entry(item, at, "email");
                    problem ??= EmailAddress.IsValid(value) ? null
                        : $"'{name}' entries need a valid email address (at most {EmailAddress.MaxLength} characters).";
                    break;
                case FieldKind.PhoneNumbers:
                    (at, value, problem) = Entry(item, at, "phone_number");
                    problem ??= PhoneNumber.IsE164(value) ? null
                        : $"'{name}' entries need a valid phone number in E.164 format, e.g. \"+14155552671\".";
                    break;
                default:
                    var allowed = field.Kind == FieldKind.Notifications ? sets.Notifications : sets.FeatureFlags;
                    value = AsString(item);
                    problem = value is not null && allowed.Contains(value) ? null
                        : $"'{name}' entries must be one of: {string.Join(", ", allowed.Order())}.";
                    break;
            }
            if (problem is not null)
                yield return (at, problem);
            else if (!seen.Add(value!))
                yield return (at, $"'{name}' lists this entry more than once.");
        }
    }

    /// <summary>An entry of a sub-collection: an object with exactly one key, the value.</summary>
    private static (string Path, string? Value, string? Problem) Entry(JsonNode? item, string path, string key)
    {
        if (item is not JsonObject obj)
            return (path, null, $"Each entry must be an object {{ \"{key}\": … }}.");
        foreach (var (k, _) in obj)
            if (k != key)
                return ($"{path}/{JsonPointer.Escape(k)}", null, $"'{JsonPointer.Printable(k)}' is not a known field of an entry.");
        var value = obj[key] is { } v ? AsString(v) : null;
        if (value is null)
            return ($"{path}/{key}", null, $"'{key}' is required and must be a string.");
        if (!Text.IsClean(value, allowLineBreaks: false))
            return ($"{path}/{key}", null, $"'{key}' contains control characters or invalid Unicode.");
        return ($"{path}/{key}", value, null);
    }

    public static bool IsTimestamp(string s, out DateTimeOffset value)
    {
        value = default;
        return TimestampPattern().IsMatch(s)
               && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    private static string? AsString(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            return null;
        try
        {
            return v.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot become a .NET string: hand on one that Text.IsClean refuses.
            return "\uD800";
        }
    }

    [GeneratedRegex("^[a-z0-9_.-]{3,39}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^(ExponentPushToken|ExpoPushToken)\[[A-Za-z0-9_-]{1,200}\]$")]
    private static partial Regex ExpoPushTokenPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex TimestampPattern();
}
