using System.Text.Json.Nodes;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Domain.Tests.Rules;

public sealed class ProfileValuesValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<(string Path, string Message)> Errors(string json, ProfileValueSets? sets = null, bool registration = false)
    {
        var validator = new ProfileValuesValidator(sets ?? ProfileValueSets.Default, new FixedClock(Now));
        var result = validator.Validate(new ProfileValues(JsonNode.Parse(json)!.AsObject(), registration));
        return result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();
    }

    private static void Check(string field, string valueJson, bool valid, ProfileValueSets? sets = null)
    {
        var errors = Errors($$"""{"{{field}}": {{valueJson}}}""", sets);
        if (valid)
            errors.ShouldBeEmpty($"{field} = {valueJson}");
        else
            errors.ShouldNotBeEmpty($"{field} = {valueJson}");
    }

    private static string Str(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    [Theory]
    [InlineData("first_name", 1, true)]
    [InlineData("first_name", 100, true)]
    [InlineData("first_name", 101, false)]
    [InlineData("middle_name", 100, true)]
    [InlineData("middle_name", 101, false)]
    [InlineData("last_name", 1, true)]
    [InlineData("last_name", 101, false)]
    public void names_are_1_to_100_characters(string field, int length, bool valid) => Check(field, Str(new string('a', length)), valid);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("5")]
    [InlineData("[\"Ada\"]")]
    [InlineData("\"Ada\\u0000\"")]
    public void a_name_is_a_non_blank_string_without_control_characters(string value) => Check("first_name", value, false);

    [Theory]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("a_b.c-9", true)]
    [InlineData("Abc", false)]
    [InlineData("a b", false)]
    [InlineData("ada@home", false)]
    public void usernames_are_lower_case_letters_digits_and_underscore_dot_dash(string value, bool valid) => Check("username", Str(value), valid);

    [Theory]
    [InlineData(39, true)]
    [InlineData(40, false)]
    public void usernames_are_at_most_39_characters(int length, bool valid) => Check("username", Str(new string('u', length)), valid);

    [Theory]
    [InlineData("ada@example.com", true)]
    [InlineData("ada.lovelace+tag@sub.example.org", true)]
    [InlineData("ada", false)]
    [InlineData("ada@", false)]
    [InlineData("@example.com", false)]
    [InlineData("ada@example", false)]
    [InlineData(" ada@example.com", false)]
    [InlineData("ada@exa mple.com", false)]
    public void emails_have_a_valid_syntax(string value, bool valid) => Check("email", Str(value), valid);

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void the_local_part_of_an_email_is_at_most_64_characters(int length, bool valid) =>
        Check("email", Str(new string('a', length) + "@example.com"), valid);

    [Theory]
    [InlineData(254, true)]
    [InlineData(255, false)]
    public void an_email_is_at_most_254_characters(int length, bool valid)
    {
        var email = new string('a', 64) + "@" + new string('d', length - 65 - 4) + ".com";
        email.Length.ShouldBe(length);
        Check("email", Str(email), valid);
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void passwords_are_8_to_128_characters(int length, bool valid) => Check("password", Str(new string('p', length)), valid);

    [Fact]
    public void a_short_password_is_told_with_its_minimum() =>
        Errors("""{"password": "short"}""").ShouldBe([("/password", "Password is too short (minimum is 8 characters).")]);

    [Theory]
    [InlineData("https://example.com/me.png", true)]
    [InlineData("http://example.com", true)]
    [InlineData("ftp://example.com/me.png", false)]
    [InlineData("/me.png", false)]
    [InlineData("example.com", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("mailto:ada@example.com", false)]
    public void pictures_and_websites_are_absolute_http_uris(string value, bool valid)
    {
        Check("picture", Str(value), valid);
        Check("website", Str(value), valid);
    }

    [Fact]
    public void a_uri_is_at_most_2048_characters()
    {
        var prefix = "https://example.com/";
        Check("website", Str(prefix + new string('a', 2048 - prefix.Length)), true);
        Check("website", Str(prefix + new string('a', 2049 - prefix.Length)), false);
    }

    [Theory]
    [InlineData("FR", true)]
    [InlineData("GB", true)]
    [InlineData("US", true)]
    [InlineData("AX", true)]
    [InlineData("ZW", true)]
    [InlineData("fr", false)]
    [InlineData("UK", false)]
    [InlineData("XX", false)]
    [InlineData("EU", false)]
    [InlineData("FRA", false)]
    [InlineData("F", false)]
    public void countries_are_assigned_iso_3166_alpha_2_codes(string value, bool valid) => Check("country", Str(value), valid);

    [Fact]
    public void the_country_list_has_the_249_assigned_codes() => CountryCode.Count.ShouldBe(249);

    [Theory]
    [InlineData("+14155552671", true)]
    [InlineData("+33612345678", true)]
    [InlineData("+447911123456", true)]
    [InlineData("14155552671", false)]
    [InlineData("+1 415 555 2671", false)]
    [InlineData("+1415555267", false)]
    [InlineData("+141555526712", false)]
    [InlineData("+999123456789", false)]
    [InlineData("+0123456789", false)]
    public void phones_are_valid_e164_numbers(string value, bool valid) => Check("phone", Str(value), valid);

    [Theory]
    [InlineData("2026-06-14", true)]
    [InlineData("2026-06-15", false)]
    [InlineData("2026-06-16", false)]
    [InlineData("1900-01-01", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("2026-06-15T11:59:59Z", true)]
    [InlineData("2026-06-15T12:00:01Z", false)]
    [InlineData("1990-02-30", false)]
    [InlineData("31/12/1990", false)]
    public void birthdates_are_dates_in_the_past(string value, bool valid) => Check("birthdate", Str(value), valid);

    [Theory]
    [InlineData("en", true)]
    [InlineData("fr", true)]
    [InlineData("de", false)]
    [InlineData("EN", false)]
    public void locales_come_from_the_default_list(string value, bool valid) => Check("locale", Str(value), valid);

    [Fact]
    public void locales_come_from_the_configured_list()
    {
        var sets = ProfileValueSets.Default with { Locales = ProfileValueSets.Set("de", "en") };
        Check("locale", "\"de\"", true, sets);
        Check("locale", "\"fr\"", false, sets);
    }

    [Theory]
    [InlineData("notifications", """["email_new_transaction","push_new_transaction"]""", true)]
    [InlineData("notifications", """[]""", true)]
    [InlineData("notifications", """["sms_everything"]""", false)]
    [InlineData("notifications", """["email_new_transaction","email_new_transaction"]""", false)]
    [InlineData("notifications", "\"email_new_transaction\"", false)]
    [InlineData("notifications", """[1]""", false)]
    [InlineData("feature_flags", """["affiliate"]""", true)]
    [InlineData("feature_flags", """["beta"]""", false)]
    [InlineData("feature_flags", """[null]""", false)]
    public void notifications_and_feature_flags_are_sets_drawn_from_configuration(string field, string value, bool valid) =>
        Check(field, value, valid);

    [Fact]
    public void configured_sets_replace_the_defaults()
    {
        var sets = ProfileValueSets.Default with { FeatureFlags = ProfileValueSets.Set("beta") };
        Check("feature_flags", """["beta"]""", true, sets);
        Check("feature_flags", """["affiliate"]""", false, sets);
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(21, false)]
    public void list_fields_hold_at_most_20_entries(int count, bool valid)
    {
        var flags = Enumerable.Range(0, count).Select(i => $"flag{i}").ToList();
        var sets = ProfileValueSets.Default with { FeatureFlags = ProfileValueSets.Set(flags) };
        Check("feature_flags", new JsonArray(flags.Select(f => (JsonNode)f).ToArray()).ToJsonString(), valid, sets);
        var emails = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["email"] = $"a{i}@example.com" }).ToArray());
        Check("emails", emails.ToJsonString(), valid);
        var phones = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["phone_number"] = $"+336123456{i:00}" }).ToArray());
        Check("phone_numbers", phones.ToJsonString(), valid);
    }

    [Theory]
    [InlineData("ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]", true)]
    [InlineData("ExpoPushToken[abc-123_X]", true)]
    [InlineData("ExponentPushToken[]", false)]
    [InlineData("ExponentPushToken[abc", false)]
    [InlineData("PushToken[abc]", false)]
    [InlineData("ExponentPushToken[a b]", false)]
    public void expo_push_tokens_have_the_expo_format(string value, bool valid) => Check("expo_push_token", Str(value), valid);

    [Theory]
    [InlineData("opt-in", true)]
    [InlineData("text-ref", true)]
    [InlineData("optin", false)]
    [InlineData("OPT-IN", false)]
    public void consent_method_is_opt_in_or_text_ref(string value, bool valid) => Check("consent_method", Str(value), valid);

    [Theory]
    [InlineData("consented_at", "\"2024-01-15T10:30:00Z\"", true)]
    [InlineData("consented_at", "\"2024-01-15T10:30:00.123+02:00\"", true)]
    [InlineData("consented_at", "\"2024-01-15\"", false)]
    [InlineData("consented_at", "\"2024-01-15T10:30:00\"", false)]
    [InlineData("stripe_last_payment_date", "\"2024-13-01T00:00:00Z\"", false)]
    [InlineData("role_id", "\"3c90c3cc-0d44-4b50-8888-8dd25736052a\"", true)]
    [InlineData("role_id", "\"3c90c3cc\"", false)]
    [InlineData("active_billing_plan_id", "42", false)]
    [InlineData("is_superuser", "true", true)]
    [InlineData("is_trial", "\"true\"", false)]
    [InlineData("is_paying", "1", false)]
    [InlineData("namespace", "\"acme\"", true)]
    public void account_and_billing_values_have_their_types(string field, string value, bool valid) => Check(field, value, valid);

    [Theory]
    [InlineData("company", 200, true)]
    [InlineData("company", 201, false)]
    [InlineData("address", 500, true)]
    [InlineData("address", 501, false)]
    [InlineData("state", 100, true)]
    [InlineData("state", 101, false)]
    public void text_fields_have_a_maximum_length(string field, int length, bool valid) => Check(field, Str(new string('t', length)), valid);

    [Fact]
    public void an_address_may_span_lines_but_no_text_holds_nul_or_lone_surrogates()
    {
        Check("address", Str("1 Main St\nSpringfield"), true);
        Check("address", "\"a\\u0000b\"", false);
        Check("company", "\"\\ud800\"", false);
        Check("company", "\"\\ud83d\\ude00 ok\"", true);
    }

    [Theory]
    [InlineData("""[{"email": "second@example.com"}]""", true)]
    [InlineData("""[]""", true)]
    [InlineData("""[{"email": "not-an-email"}]""", false)]
    [InlineData("""[{"email": "a@example.com"}, {"email": "A@example.com"}]""", false)]
    [InlineData("""[{"email": "a@example.com", "verified": true}]""", false)]
    [InlineData("""[{}]""", false)]
    [InlineData("""["a@example.com"]""", false)]
    [InlineData("\"a@example.com\"", false)]
    public void emails_is_a_list_of_distinct_valid_addresses(string value, bool valid) => Check("emails", value, valid);

    [Theory]
    [InlineData("""[{"phone_number": "+14155552671"}]""", true)]
    [InlineData("""[{"phone_number": "4155552671"}]""", false)]
    [InlineData("""[{"phone_number": "+14155552671"}, {"phone_number": "+14155552671"}]""", false)]
    [InlineData("""[{"number": "+14155552671"}]""", false)]
    public void phone_numbers_is_a_list_of_distinct_e164_numbers(string value, bool valid) => Check("phone_numbers", value, valid);

    [Fact]
    public void a_bad_entry_is_reported_at_its_own_path() =>
        Errors("""{"emails": [{"email": "ok@example.com"}, {"email": "bad"}]}""").Single().Path.ShouldBe("/emails/1/email");

    [Theory]
    [InlineData("email")]
    [InlineData("password")]
    [InlineData("is_active")]
    public void fields_that_cannot_be_cleared_refuse_null(string field) =>
        Errors($$"""{"{{field}}": null}""").ShouldBe([($"/{field}", $"'{field}' cannot be cleared.")]);

    [Theory]
    [InlineData("first_name")]
    [InlineData("username")]
    [InlineData("emails")]
    [InlineData("phone_numbers")]
    [InlineData("country")]
    [InlineData("stripe_customer_id")]
    public void other_fields_may_be_cleared_with_null(string field) => Errors($$"""{"{{field}}": null}""").ShouldBeEmpty();

    [Fact]
    public void every_read_only_field_is_refused_by_name()
    {
        foreach (var field in ProfileFields.ReadOnly)
            Errors($$"""{"{{field}}": 1}""").ShouldBe([($"/{field}", $"'{field}' is read-only.")]);
    }

    [Fact]
    public void unknown_fields_are_refused_by_name() =>
        Errors("""{"is_admin": true, "a/b": 1}""").ShouldBe([
            ("/is_admin", "'is_admin' is not a known field."),
            ("/a~1b", "'a/b' is not a known field."),
        ]);

    [Fact]
    public void registration_requires_an_email()
    {
        Errors("""{"first_name": "Ada"}""", registration: true).ShouldBe([("/email", "'email' is required.")]);
        Errors("""{"email": "ada@example.com"}""", registration: true).ShouldBeEmpty();
    }

    [Fact]
    public void every_failing_field_is_reported_at_once()
    {
        var errors = Errors("""{"email": "nope", "country": "XX", "password": "short", "locale": "de", "shoe_size": 44, "first_name": "Ada"}""");
        errors.Select(e => e.Path).Order().ShouldBe(["/country", "/email", "/locale", "/password", "/shoe_size"]);
    }

    [Fact]
    public void every_writable_field_of_the_catalogue_has_a_rule_that_accepts_a_good_value()
    {
        var good = new Dictionary<FieldKind, string>
        {
            [FieldKind.Name] = "\"Ada\"",
            [FieldKind.Text] = "\"x\"",
            [FieldKind.Username] = "\"ada\"",
            [FieldKind.Email] = "\"ada@example.com\"",
            [FieldKind.Password] = "\"correct horse\"",
            [FieldKind.Uri] = "\"https://a.example\"",
            [FieldKind.Country] = "\"FR\"",
            [FieldKind.Phone] = "\"+14155552671\"",
            [FieldKind.Birthdate] = "\"1990-01-01\"",
            [FieldKind.Locale] = "\"en\"",
            [FieldKind.ExpoPushToken] = "\"ExpoPushToken[a]\"",
            [FieldKind.Boolean] = "true",
            [FieldKind.Timestamp] = "\"2024-01-15T10:30:00Z\"",
            [FieldKind.ConsentMethod] = "\"opt-in\"",
            [FieldKind.Notifications] = "[\"push_new_transaction\"]",
            [FieldKind.FeatureFlags] = "[\"affiliate\"]",
            [FieldKind.Uuid] = $"\"{Guid.NewGuid()}\"",
            [FieldKind.Emails] = """[{"email":"b@example.com"}]""",
            [FieldKind.PhoneNumbers] = """[{"phone_number":"+14155552671"}]""",
        };
        foreach (var field in ProfileFields.Writable)
        {
            Check(field.Name, good[field.Kind], true);
            Check(field.Name, "{}", false);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
