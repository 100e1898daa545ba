using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>
/// A field kind, defined once: the schema of its values (which also decides the JSON shape the validator
/// demands: boolean, string or array), the check each value must pass, and the rule in words, which the
/// OpenAPI document and docs/api.md both print.
/// </summary>
/// <param name="Schema">The JSON schema of a value of this field, with the configured vocabularies.</param>
/// <param name="Description">The rule in words.</param>
/// <param name="Check">The value check; null for a kind that is never written (read-only) or needs none beyond its JSON type.</param>
/// <param name="EntryKey">For a sub-collection: the one key of each entry object (<c>{"email": …}</c>).</param>
/// <param name="AllowsLineBreaks">Free text: line breaks and tabs are allowed, other control characters are not.</param>
public sealed record FieldKindRule(
    Func<ProfileField, ProfileValueSets, ValueSchema> Schema,
    Func<ProfileField, string> Description,
    ValueCheck? Check = null,
    string? EntryKey = null,
    bool AllowsLineBreaks = false);
