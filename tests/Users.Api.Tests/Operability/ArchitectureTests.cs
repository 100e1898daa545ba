using System.Xml.Linq;

namespace Users.Api.Tests.Operability;

/// <summary>The project references docs/architecture.md allows, and no other.</summary>
public sealed class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Users.Contracts"] = [],
        ["Users.Domain"] = [],
        ["Users.Projections"] = ["Users.Contracts", "Users.Domain"],
        ["Users.ServiceDefaults"] = [],
        ["Users.Api"] = ["Users.Contracts", "Users.Domain", "Users.Projections", "Users.ServiceDefaults"],
        ["Users.Notifications"] = ["Users.Contracts", "Users.Domain", "Users.Projections", "Users.ServiceDefaults"],
    };

    [Fact]
    public void every_project_references_only_what_the_architecture_allows()
    {
        var root = FindRepositoryRoot();
        var projects = Directory.GetDirectories(Path.Combine(root, "src")).Select(Path.GetFileName).Order().ToList();
        projects.ShouldBe(Allowed.Keys.Order(), ignoreOrder: false, customMessage: "a project under src/ that docs/architecture.md does not place");
        foreach (var project in projects)
        {
            var csproj = XDocument.Load(Path.Combine(root, "src", project!, project + ".csproj"));
            var references = csproj.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'))).Order();
            references.ShouldBe(Allowed[project!].Order(), ignoreOrder: false, customMessage: $"{project}'s project references");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above " + AppContext.BaseDirectory);
    }
}
