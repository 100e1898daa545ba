using System.Text;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Domain.Tests.Profile;

/// <summary>
/// docs/api.md's field table is rendered from the catalogue; this test fails when they drift apart.
/// Run with UPDATE_DOCS=1 to rewrite the table.
/// </summary>
public sealed class FieldTableDocumentTests
{
    private const string Begin = "<!-- fields:begin (generated from ProfileFields by FieldTableDocumentTests) -->";
    private const string End = "<!-- fields:end -->";

    [Fact]
    public void the_field_table_in_docs_api_md_matches_the_catalogue()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "api.md");
        var document = File.ReadAllText(path);
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "docs/api.md lacks the fields:begin marker");
        end.ShouldBeGreaterThan(start);
        var expected = Begin + "\n" + Render() + End;
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            File.WriteAllText(path, document[..start] + expected + document[(end + End.Length)..]);
        else
            document[start..(end + End.Length)].ShouldBe(expected);
    }

    public static string Render()
    {
        var table = new StringBuilder();
        table.Append("| field | group | type and rule | who writes | null clears |\n|---|---|---|---|---|\n");
        foreach (var f in ProfileFields.All.OrderBy(f => f.Group))
            table.Append($"| `{f.Name}` | {(f.Group == FieldGroup.ReadOnly ? "read-only" : f.Group.ToString().ToLowerInvariant())} | {Rule(f)} | {Access(f.Access)} | {(f.IsReadOnly ? "–" : f.Clearable ? "yes" : "no (422)")} |\n");
        return table.ToString();
    }

    private static string Access(FieldAccess access) => access switch
    {
        FieldAccess.User => "the user, admins",
        FieldAccess.Admin => "admins only (403 for others)",
        _ => "nobody (read-only, 422)",
    };

    private static string Rule(ProfileField f) => f.Kind switch
    {
        FieldKind.Name => $"string, 1–{f.MaxLength} characters, not blank",
        FieldKind.Text => $"string, at most {f.MaxLength} characters{(f.Name == "address" ? " (line breaks allowed)" : "")}",
        FieldKind.Username => "string, 3–39 characters of `[a-z0-9_.-]`; unique",
        FieldKind.Email => $"email address, at most {EmailAddress.MaxLength} characters ({EmailAddress.MaxLocalPartLength} before the @); compared by its normalized key (NFC, IDNA domain, case-folded); one account at most holds it **verified** (an unverified address blocks nobody, see Uniqueness); a change marks it unverified and mails the new address",
        FieldKind.Password => $"string, {FieldRules.MinPasswordLength}–{FieldRules.MaxPasswordLength} characters; write-only, stored as a salted hash",
        FieldKind.Uri => $"absolute `http`/`https` URI, at most {f.MaxLength} characters",
        FieldKind.Country => "ISO 3166-1 alpha-2 code in upper case, one of the 249 assigned (`FR`, `GB`; not `UK`, `fr`)",
        FieldKind.Phone => "E.164 (`+14155552671`), a valid number per libphonenumber",
        FieldKind.Birthdate => $"date `YYYY-MM-DD` (before today) or ISO 8601 date-time (before now); on or after {FieldRules.EarliestBirthdate:yyyy-MM-dd}",
        FieldKind.Locale => "one of `Users:Locales` (default `en`, `fr`)",
        FieldKind.Notifications => $"array of distinct strings from `Users:Notifications` (default `email_new_transaction`, `push_new_transaction`), at most {f.MaxLength}",
        FieldKind.FeatureFlags => $"array of distinct strings from `Users:FeatureFlags` (default `affiliate`), at most {f.MaxLength}",
        FieldKind.ExpoPushToken => "`ExponentPushToken[…]` or `ExpoPushToken[…]` (letters, digits, `_`, `-` inside)",
        FieldKind.Boolean => "`true` or `false`",
        FieldKind.Timestamp => "ISO 8601 date-time with offset (`2024-01-15T10:30:00Z`)",
        FieldKind.ConsentMethod => "`opt-in` or `text-ref`",
        FieldKind.Uuid => "UUID",
        FieldKind.Integer => "integer",
        FieldKind.Emails => $"array (at most {f.MaxLength}) of `{{\"email\": …}}`, distinct; none may be an address another account has verified; replaces the set (the primary address, if listed, is skipped); returned with `id`, `verified`, `created_at`, `updated_at`",
        FieldKind.PhoneNumbers => $"array (at most {f.MaxLength}) of `{{\"phone_number\": …}}` in E.164, distinct; replaces the set; returned with `id`, `verified`, `created_at`, `updated_at`",
        _ => throw new InvalidOperationException($"No documented rule for {f.Kind}."),
    };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above the test binaries.");
    }
}
