using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Users.Domain.Profile;
using Users.Domain.Rules;

namespace Users.Api.Operability;

/// <summary>
/// JSON schemas of the user, built from the field catalogue <see cref="ProfileFields"/>: each field's schema
/// and description are its kind's <see cref="FieldKindRule"/>, the definition the validator checks with.
/// </summary>
public static class UserSchemas
{
    public const string AccessExtension = "x-access";

    public static OpenApiSchema Read(ProfileValueSets sets)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in ProfileFields.All.Where(f => !f.IsSecret))
            properties[field.Name] = Field(field, sets);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A user's profile (the read model). Secrets are never returned.",
            Required = new HashSet<string> { "id", "email", "email_verified", "version" },
            Properties = properties,
        };
    }

    public static OpenApiSchema Write(ProfileValueSets sets)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in ProfileFields.Writable)
            properties[field.Name] = Field(field, sets);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Writable fields. Fields marked x-access: admin are for admins only (403 otherwise); " +
                          "read-only and unknown fields are rejected with 422.",
            Properties = properties,
            AdditionalPropertiesAllowed = false,
        };
    }

    public static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; errors lists every failing field by JSON pointer.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "path", "message" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["path"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "JSON pointer, e.g. /email" },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    /// <summary>One catalogue field: its kind's schema and rule in words, whether null clears it, who may write it.</summary>
    public static OpenApiSchema Field(ProfileField field, ProfileValueSets sets)
    {
        var rule = FieldKinds.Of(field.Kind);
        var schema = Map(rule.Schema(field, sets));
        schema.Description = rule.Description(field);
        if (field.Clearable && !field.IsReadOnly && schema.Type is { } type)
            schema.Type = type | JsonSchemaType.Null;
        if (field.IsSecret)
            schema.WriteOnly = true;
        if (field.IsReadOnly)
            schema.ReadOnly = true;
        schema.Extensions = new Dictionary<string, IOpenApiExtension>
        {
            [AccessExtension] = new JsonNodeExtension(JsonValue.Create(field.Access switch
            {
                FieldAccess.Admin => "admin",
                FieldAccess.ReadOnly => "read-only",
                _ => "user",
            })),
        };
        return schema;
    }

    /// <summary>The domain's <see cref="ValueSchema"/>, keyword for keyword.</summary>
    private static OpenApiSchema Map(ValueSchema value) => new()
    {
        Type = value.Type switch
        {
            ValueSchema.Boolean => JsonSchemaType.Boolean,
            ValueSchema.Integer => JsonSchemaType.Integer,
            ValueSchema.Array => JsonSchemaType.Array,
            ValueSchema.Object => JsonSchemaType.Object,
            _ => JsonSchemaType.String,
        },
        Format = value.Format,
        Pattern = value.Pattern,
        MinLength = value.MinLength,
        MaxLength = value.MaxLength,
        Enum = value.Enum?.Select(e => (JsonNode)JsonValue.Create(e)).ToList(),
        Items = value.Items is { } items ? Map(items) : null,
        MaxItems = value.MaxItems,
        UniqueItems = value.UniqueItems ? true : null,
        Properties = value.Properties?.ToDictionary(p => p.Key, p => (IOpenApiSchema)Map(p.Value)),
        Required = value.Properties?.Keys.ToHashSet(),
        AdditionalPropertiesAllowed = value.Properties is null,
    };
}
