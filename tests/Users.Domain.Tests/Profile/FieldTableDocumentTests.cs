using System.Text;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Domain.Tests.Profile;

/// <summary>
/// docs/api.md's field table is rendered from the catalogue; this test fails when they drift apart.
/// Run with UPDATE_DOCS=1 to rewrite the table.
/// </summary>
public sealed class FieldTableDocumentTests
{
    private const string Begin = "<!-- fields:begin (generated from ProfileFields by FieldTableDocumentTests) -->";
    private const string End = "<!-- fields:end -->";

    [Fact]
    public void the_field_table_in_docs_api_md_matches_the_catalogue()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "api.md");
        var document = File.ReadAllText(path);
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "docs/api.md lacks the fields:begin marker");
        end.ShouldBeGreaterThan(start);
        var expected = Begin + "\n" + Render() + End;
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            File.WriteAllText(path, document[..start] + expected + document[(end + End.Length)..]);
        else
            document[start..(end + End.Length)].ShouldBe(expected);
    }

    public static string Render()
    {
        var table = new StringBuilder();
        table.Append("| field | group | type and rule | who writes | null clears |\n|---|---|---|---|---|\n");
        foreach (var f in ProfileFields.All.OrderBy(f => f.Group))
            table.Append($"| `{f.Name}` | {(f.Group == FieldGroup.ReadOnly ? "read-only" : f.Group.ToString().ToLowerInvariant())} | {Rule(f)} | {Access(f.Access)} | {(f.IsReadOnly ? "–" : f.Clearable ? "yes" : "no (422)")} |\n");
        return table.ToString();
    }

    private static string Access(FieldAccess access) => access switch
    {
        FieldAccess.User => "the user, admins",
        FieldAccess.Admin => "admins only (403 for others)",
        _ => "nobody (read-only, 422)",
    };

    // The rule in words is the kind's own description, the one the OpenAPI document shows too.
    private static string Rule(ProfileField f) => FieldKinds.Of(f.Kind).Description(f);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above the test binaries.");
    }
}
