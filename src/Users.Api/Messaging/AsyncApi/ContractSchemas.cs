using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using Users.Contracts;

namespace Users.Api.Messaging.AsyncApi;

/// <summary>
/// The JSON Schema of each contract, exported by System.Text.Json from the type itself (so it names the JSON
/// properties the publisher writes) and described from the package's XML docs (Users.Contracts.xml, shipped beside
/// the assembly). Every property is required: the publisher always writes all of them, null included.
/// </summary>
public static class ContractSchemas
{
    /// <summary>The contracts' own attributes decide names; nullability annotations decide what may be null.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Default) { RespectNullableAnnotations = true };

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Summaries = new(ReadSummaries);

    public static JsonNode Of(Type contract) => Json.GetJsonSchemaAsNode(contract, new JsonSchemaExporterOptions
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Describe,
    });

    /// <summary>The XML doc summary of a contract type, or null.</summary>
    public static string? SummaryOf(Type type) => Summaries.Value.GetValueOrDefault("T:" + type.FullName);

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
            return schema;
        var summary = context.PropertyInfo?.AttributeProvider is PropertyInfo property
            ? Summaries.Value.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}")
            : context.PropertyInfo is null ? SummaryOf(context.TypeInfo.Type) : null;
        if (summary is not null)
            node.Insert(0, "description", summary);
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node["properties"] is JsonObject properties)
            node["required"] = new JsonArray([.. properties.Select(p => JsonValue.Create(p.Key))]);
        return node;
    }

    private static IReadOnlyDictionary<string, string> ReadSummaries()
    {
        var xml = Path.ChangeExtension(typeof(UserEvent).Assembly.Location, ".xml");
        if (!File.Exists(xml))
            return new Dictionary<string, string>();
        return XDocument.Load(xml).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Text(m.Element("summary")!));
    }

    /// <summary>A summary as plain text: a <c>&lt;see cref&gt;</c> becomes the name it points at.</summary>
    private static string Text(XElement summary) => string.Join(" ", string.Concat(summary.Nodes().Select(n => n switch
        {
            XElement { Name.LocalName: "see" } see => see.Attribute("cref")?.Value.Split('.', ':').Last() ?? see.Value,
            XElement element => element.Value,
            XText text => text.Value,
            _ => "",
        }))
        .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
