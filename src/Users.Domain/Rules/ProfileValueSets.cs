namespace Users.Domain.Rules;

/// <summary>
/// The closed vocabularies some fields draw from; configured (Users:Locales, Users:Notifications,
/// Users:FeatureFlags) so that a deployment can extend them without a release.
/// </summary>
public sealed record ProfileValueSets(IReadOnlySet<string> Locales, IReadOnlySet<string> Notifications, IReadOnlySet<string> FeatureFlags)
{
    public static readonly ProfileValueSets Default = new(
        Set("en", "fr"),
        Set("email_new_transaction", "push_new_transaction"),
        Set("affiliate"));

    public static IReadOnlySet<string> Set(params IEnumerable<string> values) => values.ToHashSet(StringComparer.Ordinal);
}
