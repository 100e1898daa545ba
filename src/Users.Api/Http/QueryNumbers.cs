using System.Globalization;

namespace Users.Api.Http;

/// <summary>Whole-number query parameters (cursors, page sizes) shared by the paged read routes.</summary>
public static class QueryNumbers
{
    /// <summary>
    /// Reads <paramref name="name"/> once as a whole number in [min, max]; absent gives <paramref name="fallback"/>.
    /// False when it is repeated, not a number, signed or out of range.
    /// </summary>
    public static bool TryRead(IQueryCollection query, string name, long fallback, long min, long max, out long value)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var text))
            return true;
        return text.Count == 1 && long.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }
}
