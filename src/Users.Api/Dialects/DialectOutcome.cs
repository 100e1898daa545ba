using Users.Api.Http;
using Users.Api.Users;

namespace Users.Api.Dialects;

/// <summary>What the canonical update answered, for a dialect to render in its own words.</summary>
public sealed record DialectOutcome(UserView? View, WriteRefusal? Refusal = null)
{
    public static DialectOutcome Refused(WriteRefusal refusal) => new(null, refusal);
    public static DialectOutcome Invalid(IReadOnlyList<FieldError> errors) => Refused(WriteRefusal.Invalid(errors));
}
