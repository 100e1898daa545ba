namespace Users.Domain.Rules;

/// <summary>
/// The JSON Schema of one value, free of any OpenAPI library (the domain knows no HTTP): the API's
/// document maps it keyword for keyword. <see cref="Type"/> is a JSON Schema type name.
/// </summary>
public sealed record ValueSchema(string Type)
{
    public const string String = "string";
    public const string Boolean = "boolean";
    public const string Integer = "integer";
    public const string Array = "array";
    public const string Object = "object";

    public string? Format { get; init; }
    public string? Pattern { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
    public ValueSchema? Items { get; init; }
    public int? MaxItems { get; init; }
    public bool UniqueItems { get; init; }
    /// <summary>For an object: its properties, each required, no others allowed.</summary>
    public IReadOnlyDictionary<string, ValueSchema>? Properties { get; init; }
}
