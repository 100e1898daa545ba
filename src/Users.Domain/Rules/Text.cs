namespace Users.Domain.Rules;

/// <summary>Text that PostgreSQL's jsonb and every client can hold: no NUL or control characters, no lone surrogates.</summary>
public static class Text
{
    public static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                i++;
            else if (char.IsSurrogate(s[i]))
                return true;
        }
        return false;
    }

    public static bool IsClean(string s, bool allowLineBreaks)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
                return false;
            else if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
                return false;
        }
        return true;
    }
}
