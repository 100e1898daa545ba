namespace Users.Domain.Rules;

/// <summary>RFC 6901 pointers for error paths; names echoed in messages are made printable and short.</summary>
public static class JsonPointer
{
    public static string Of(string name) => "/" + Escape(name);

    public static string Escape(string name) => Printable(name).Replace("~", "~0").Replace("/", "~1");

    public static string Printable(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c).ToArray());
        return clean.Length <= 100 ? clean : clean[..100] + "…";
    }
}
