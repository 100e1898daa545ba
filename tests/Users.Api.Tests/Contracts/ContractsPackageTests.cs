using System.Reflection;
using System.Xml.Linq;
using Users.Api.Tests.Infrastructure;
using Users.Contracts;

namespace Users.Api.Tests.Contracts;

/// <summary>Users.Contracts is a package a subscriber can reference: nothing beyond the BCL, every member documented.</summary>
public sealed class ContractsPackageTests
{
    [Fact]
    public void the_contracts_project_references_no_package_and_no_project()
    {
        var csproj = XDocument.Load(Path.Combine(Repository.Root, "src", "Users.Contracts", "Users.Contracts.csproj"));
        csproj.Descendants("PackageReference").Select(r => r.Attribute("Include")?.Value).ShouldBeEmpty();
        csproj.Descendants("ProjectReference").Select(r => r.Attribute("Include")?.Value).ShouldBeEmpty();
        typeof(UserEvent).Assembly.GetReferencedAssemblies().Select(a => a.Name)
            .ShouldAllBe(name => name!.StartsWith("System") || name == "netstandard");
    }

    [Fact]
    public void every_public_contract_and_member_is_documented_in_the_xml_beside_the_assembly()
    {
        var assembly = typeof(UserEvent).Assembly;
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        File.Exists(xml).ShouldBeTrue($"{xml}: the package's XML docs (GenerateDocumentationFile) are missing");
        var summaries = XDocument.Load(xml).Descendants("member")
            .ToDictionary(m => m.Attribute("name")!.Value, m => m.Element("summary")?.Value.Trim() ?? "");

        var types = assembly.GetExportedTypes();
        types.ShouldContain(typeof(UserRegistered));
        foreach (var type in types)
        {
            summaries.GetValueOrDefault("T:" + type.FullName).ShouldNotBeNullOrEmpty($"{type.Name} has no <summary>");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                summaries.GetValueOrDefault($"P:{type.FullName}.{property.Name}").ShouldNotBeNullOrEmpty($"{type.Name}.{property.Name} has no <summary>");
        }
    }
}
