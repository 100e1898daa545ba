using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>A JSON object of profile fields as a client sent it (a merge patch or a registration).</summary>
public sealed record ProfileValues(JsonObject Json, bool IsRegistration = false)
{
    public bool Has(string field) => Json.ContainsKey(field);
    public JsonNode? Get(string field) => Json[field];
}

/// <summary>
/// Checks every field of a profile body against the catalogue, reporting each failure under the
/// field's JSON pointer, all at once.
/// </summary>
public sealed class ProfileValuesValidator : AbstractValidator<ProfileValues>
{
    public ProfileValuesValidator()
    {
        RuleFor(x => x).Custom((values, ctx) =>
        {
            foreach (var (name, _) in values.Json)
            {
                if (ProfileFields.ReadOnly.Contains(name))
                    ctx.AddFailure($"/{name}", $"'{name}' is read-only.");
                else if (ProfileFields.Find(name) is null)
                    ctx.AddFailure($"/{name}", $"'{name}' is not a known field.");
            }
        });

        foreach (var field in ProfileFields.All)
        {
            var path = "/" + field.Name;
            if (!field.Clearable)
                RuleFor(x => x.Get(field.Name))
                    .NotNull().WithMessage($"'{field.Name}' cannot be cleared.")
                    .When(x => x.Has(field.Name))
                    .OverridePropertyName(path);

            RuleFor(x => x.Get(field.Name))
                .Custom((node, ctx) =>
                {
                    if (FieldRules.Check(field, node!) is { } message)
                        ctx.AddFailure(path, message);
                })
                .When(x => x.Get(field.Name) is not null);
        }

        RuleFor(x => x.Get("email"))
            .NotNull().WithMessage("'email' is required.")
            .When(x => x.IsRegistration)
            .OverridePropertyName("/email");
    }
}

/// <summary>The value rule of each field kind; returns the message of the first broken rule, or null.</summary>
public static class FieldRules
{
    public static string? Check(ProfileField field, JsonNode node) => field.Kind switch
    {
        FieldKind.Email => AsString(node, field) is { } s
            ? EmailAddress.IsValid(s) ? null : $"'{field.Name}' is not a valid email address (at most {EmailAddress.MaxLength} characters)."
            : NotA(field, "string"),
        FieldKind.Password => AsString(node, field) is { } s
            ? s.Length < 8 ? "Password is too short (minimum is 8 characters)."
            : s.Length > 128 ? "Password is too long (maximum is 128 characters)." : null
            : NotA(field, "string"),
        FieldKind.Name => AsString(node, field) is { } s
            ? s.Trim().Length == 0 || s.Length > field.MaxLength
                ? $"'{field.Name}' must be 1 to {field.MaxLength} characters." : null
            : NotA(field, "string"),
        FieldKind.Text => AsString(node, field) is { } s
            ? s.Length > field.MaxLength ? $"'{field.Name}' must be at most {field.MaxLength} characters." : null
            : NotA(field, "string"),
        _ => null,
    };

    private static string? AsString(JsonNode node, ProfileField field) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string NotA(ProfileField field, string type) => $"'{field.Name}' must be a {type}.";
}
