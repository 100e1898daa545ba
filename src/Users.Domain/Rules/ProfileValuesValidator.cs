using FluentValidation;
using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>
/// Checks every field of a profile body against the catalogue, reporting each failure under its
/// JSON pointer, all at once.
/// </summary>
public sealed class ProfileValuesValidator : AbstractValidator<ProfileValues>
{
    public ProfileValuesValidator() : this(ProfileValueSets.Default, TimeProvider.System) { }

    public ProfileValuesValidator(ProfileValueSets sets, TimeProvider clock)
    {
        var rules = new FieldRules(sets, clock);

        RuleFor(x => x).Custom((values, ctx) =>
        {
            foreach (var (name, _) in values.Json)
            {
                if (ProfileFields.ReadOnly.Contains(name))
                    ctx.AddFailure(JsonPointer.Of(name), $"'{name}' is read-only.");
                else if (ProfileFields.Find(name) is null)
                    ctx.AddFailure(JsonPointer.Of(name), $"'{JsonPointer.Printable(name)}' is not a known field.");
            }
        });

        foreach (var field in ProfileFields.Writable)
        {
            var path = JsonPointer.Of(field.Name);
            if (!field.Clearable)
                RuleFor(x => x.Get(field.Name))
                    .NotNull().WithMessage($"'{field.Name}' cannot be cleared.")
                    .When(x => x.Has(field.Name))
                    .OverridePropertyName(path);

            RuleFor(x => x.Get(field.Name))
                .Custom((node, ctx) =>
                {
                    foreach (var (at, message) in rules.Check(field, node!, path))
                        ctx.AddFailure(at, message);
                })
                .When(x => x.Get(field.Name) is not null);
        }

        RuleFor(x => x.Get("email"))
            .NotNull().WithMessage("'email' is required.")
            .When(x => x.IsRegistration && !x.Has("email"))
            .OverridePropertyName("/email");
    }
}
