using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Domain.Tests.Rules;

/// <summary>
/// One definition per field kind: the schema the OpenAPI document shows must describe what the validator does
/// (it admits every value the validator accepts; where the check is the shape alone, exactly those).
/// </summary>
public sealed class FieldKindsTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    // Values near each kind's edges, as JSON.
    private static readonly Dictionary<FieldKind, string[]> Samples = new()
    {
        [FieldKind.Name] = ["\"\"", "\" \"", "\"a\"", Str(100), Str(101), "3"],
        [FieldKind.Text] = ["\"x\"", "\"two\\nlines\"", "\"bell\\u0007\"", Str(200), Str(201)],
        [FieldKind.Username] = ["\"ab\"", "\"abc\"", "\"a_b.c-d\"", "\"ABC\"", "\"a b\"", Str(39), Str(40)],
        [FieldKind.Email] = ["\"a@example.com\"", "\"not-an-email\"", "\"x@y\""],
        [FieldKind.Password] = ["\"short\"", "\"long enough\"", Str(128), Str(129)],
        [FieldKind.Uri] = ["\"https://example.com/a\"", "\"ftp://example.com\"", "\"example.com\""],
        [FieldKind.Country] = ["\"FR\"", "\"fr\"", "\"UK\"", "\"GB\""],
        [FieldKind.Phone] = ["\"+14155552671\"", "\"+12\"", "\"14155552671\"", "\"+0123456789\"", "\"+1 415 555 2671\""],
        [FieldKind.Birthdate] = ["\"1990-12-31\"", "\"1990-12-31T10:00:00Z\"", "\"1890-01-01\"", "\"2030-01-01\"", "\"tomorrow\""],
        [FieldKind.Locale] = ["\"en\"", "\"fr\"", "\"de\""],
        [FieldKind.ExpoPushToken] = ["\"ExponentPushToken[abc]\"", "\"ExpoPushToken[a_b-c]\"", "\"ExpoPushToken[a b]\"", "\"ExponentPushToken[]\"", "\"Other[abc]\""],
        [FieldKind.Boolean] = ["true", "false", "\"true\"", "0"],
        [FieldKind.Timestamp] = ["\"2024-01-15T10:30:00Z\"", "\"2024-01-15T10:30:00.5+02:00\"", "\"2024-01-15T10:30:00\"", "\"2024-01-15\""],
        [FieldKind.ConsentMethod] = ["\"opt-in\"", "\"text-ref\"", "\"other\""],
        [FieldKind.Uuid] = ["\"7a3e4c1e-3f0b-4a51-9d0e-2f3c8e1b5a6d\"", "\"nope\""],
        [FieldKind.Notifications] = ["[\"email_new_transaction\"]", "[\"x\"]", "[\"push_new_transaction\",\"push_new_transaction\"]", "[]"],
        [FieldKind.FeatureFlags] = ["[\"affiliate\"]", "[\"beta\"]", "\"affiliate\""],
        [FieldKind.Emails] = ["[{\"email\":\"a@example.com\"}]", "[{\"mail\":\"a@example.com\"}]", "[{\"email\":\"bad\"}]", "[\"a@example.com\"]"],
        [FieldKind.PhoneNumbers] = ["[{\"phone_number\":\"+14155552671\"}]", "[{\"phone_number\":\"123\"}]", "[{}]"],
    };

    // Kinds whose check is the shape alone: the schema says exactly what the validator accepts.
    private static readonly FieldKind[] ShapeOnly =
        [FieldKind.Username, FieldKind.ExpoPushToken, FieldKind.ConsentMethod, FieldKind.Locale, FieldKind.Password, FieldKind.Boolean];

    [Fact]
    public void every_field_kind_has_one_definition()
    {
        foreach (var kind in Enum.GetValues<FieldKind>())
        {
            var rule = FieldKinds.Of(kind);
            rule.Description(ProfileFields.All.FirstOrDefault(f => f.Kind == kind) ?? new ProfileField("x", kind, FieldAccess.User))
                .ShouldNotBeNullOrWhiteSpace(kind.ToString());
        }
        FieldKinds.Defined.Order().ShouldBe(Enum.GetValues<FieldKind>().Order());
    }

    [Fact]
    public void every_writable_kind_has_samples_here()
    {
        foreach (var field in ProfileFields.Writable)
            Samples.ContainsKey(field.Kind).ShouldBeTrue($"{field.Kind} ({field.Name}) has no samples in FieldKindsTests");
    }

    [Fact]
    public void the_documented_schema_admits_every_value_the_validator_accepts()
    {
        var drift = new List<string>();
        foreach (var (kind, samples) in Samples)
        {
            var field = ProfileFields.Writable.First(f => f.Kind == kind);
            var schema = FieldKinds.Of(kind).Schema(field, ProfileValueSets.Default);
            foreach (var sample in samples)
            {
                var accepted = Accepts(field, sample);
                var admitted = Admits(schema, JsonNode.Parse(sample));
                if (accepted && !admitted)
                    drift.Add($"{field.Name} = {sample}: the validator accepts it, the schema refuses it");
                if (ShapeOnly.Contains(kind) && admitted && !accepted)
                    drift.Add($"{field.Name} = {sample}: the schema admits it, the validator refuses it");
            }
        }
        drift.ShouldBeEmpty();
    }

    private static bool Accepts(ProfileField field, string valueJson)
    {
        var validator = new ProfileValuesValidator(ProfileValueSets.Default, new FixedClock(Now));
        var body = JsonNode.Parse($$"""{"{{field.Name}}": {{valueJson}}}""")!.AsObject();
        return validator.Validate(new ProfileValues(body)).IsValid;
    }

    /// <summary>The JSON Schema keywords <see cref="ValueSchema"/> carries, applied to a value.</summary>
    private static bool Admits(ValueSchema schema, JsonNode? value)
    {
        switch (schema.Type)
        {
            case ValueSchema.Boolean:
                return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
            case ValueSchema.Integer:
                return value is JsonValue i && i.GetValueKind() == JsonValueKind.Number;
            case ValueSchema.String:
                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    return false;
                var s = v.GetValue<string>();
                return (schema.MinLength is not { } min || s.Length >= min)
                       && (schema.MaxLength is not { } max || s.Length <= max)
                       && (schema.Pattern is not { } pattern || Regex.IsMatch(s, pattern))
                       && (schema.Enum is not { } allowed || allowed.Contains(s));
            case ValueSchema.Array:
                if (value is not JsonArray array || (schema.MaxItems is { } most && array.Count > most))
                    return false;
                if (schema.UniqueItems && array.Select(e => e?.ToJsonString()).Distinct().Count() != array.Count)
                    return false;
                return array.All(e => Admits(schema.Items!, e));
            case ValueSchema.Object:
                return value is JsonObject obj && obj.Count == schema.Properties!.Count
                       && schema.Properties.All(p => obj.ContainsKey(p.Key) && Admits(p.Value, obj[p.Key]));
            default:
                throw new InvalidOperationException($"No JSON Schema type {schema.Type}.");
        }
    }

    private static string Str(int length) => $"\"{new string('a', length)}\"";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
