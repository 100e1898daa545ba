using Users.Domain.Profile;

namespace Users.Domain.Rules;

/// <summary>
/// Checks one value of a field: the failure message, or null when it is valid. The value is a string
/// (clean text) for scalar kinds and for sub-collection entries; a plain list entry that is not a string is null.
/// </summary>
public delegate string? ValueCheck(ProfileField field, string? value, ProfileValueSets sets, TimeProvider clock);
