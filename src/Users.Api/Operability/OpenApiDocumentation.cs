using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Users.Domain.Profile;

namespace Users.Api.Operability;

/// <summary>
/// The OpenAPI 3.1 document at /openapi/v1.json and, in Development, the Scalar UI at /scalar.
/// Endpoints return hand-built JSON (the read model flattened), so the document transformer adds
/// the schemas: the user's fields come from the field catalogue, so the limits documented are the
/// limits enforced.
/// </summary>
public static class OpenApiDocumentation
{
    public const string UserSchema = "User";
    public const string UserWriteSchema = "UserWrite";
    public const string ProblemSchema = "Problem";
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddUsersOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });

    public static void MapUsersOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference("/scalar", o => o.WithTitle("Users API")).AllowAnonymous();
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Users API",
            Version = "v1",
            Description = "An event-sourced user-profile service. JSON with snake_case names; errors are RFC 9457 " +
                          "problem details with errors: [{path, message}] (JSON pointer paths).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[UserSchema] = UserSchemas.Read();
        document.Components.Schemas[UserWriteSchema] = UserSchemas.Write();
        document.Components.Schemas[ProblemSchema] = UserSchemas.Problem();

        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "HS256 token (claims sub, role, exp) or one from the configured OIDC authority.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An API key issued by POST /api/v1/users/{id}/api-keys (prefix in-).",
        };
        // Either credential will do.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
        ];

        foreach (var (path, item) in document.Paths)
        {
            if (item.Operations is null)
                continue;
            foreach (var (method, operation) in item.Operations)
                DescribeOperation(document, path, method, operation);
        }
    }

    private static void DescribeOperation(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        operation.Responses ??= new OpenApiResponses();
        operation.Parameters ??= new List<IOpenApiParameter>();
        var writes = method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch;
        var returnsUser = operation.OperationId is "RegisterUser" or "GetUser" or "PatchUser" or "PutUser";

        if (operation.OperationId is "RegisterUser" or "PatchUser" or "PutUser")
        {
            var content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(UserWriteSchema, document) },
            };
            if (operation.OperationId != "RegisterUser")
                content["application/merge-patch+json"] = new() { Schema = new OpenApiSchemaReference(UserWriteSchema, document) };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = operation.OperationId == "RegisterUser"
                    ? "The new user's fields; email is required."
                    : "A JSON merge patch (RFC 7396): absent = unchanged, null = clear. Unknown fields are rejected.",
                Content = content,
            };
        }
        if (operation.OperationId is "VerifyEmail" or "RevertEmail")
        {
            operation.Responses["200"] = Json("The outcome only, never the profile: whoever holds a mailed link is anonymous.",
                Object(["status", "email_verified"], new()
                {
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(operation.OperationId == "VerifyEmail" ? "verified" : "reverted")] },
                    ["email_verified"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                }));
            AddProblem(document, operation, "422",
                "The token is missing, not valid (also when the user does not exist), expired, used or voided by a recovery.");
            if (operation.OperationId == "RevertEmail")
                AddProblem(document, operation, "409", "The previous address now belongs to another account.");
        }
        if (operation.OperationId == "IssueApiKey")
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "Only with an interactive (bearer) token, or as admin: an API key cannot issue keys.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = Object(["name"], new()
                        {
                            ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 100, Description = "What the key is for." },
                            ["expires_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "A future instant; absent: the key does not expire." },
                            ["role"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("admin"), JsonValue.Create("auditor")], Description = "Admins only." },
                        }),
                    },
                },
            };
            var issued = ApiKeySchema();
            issued.Properties!["key"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The key, shown in this response only (Cache-Control: no-store)." };
            issued.Required!.Add("key");
            operation.Responses["201"] = Json("Issued; Location names the key.", issued);
            AddProblem(document, operation, "409", "The user already holds the most active keys allowed (ApiKeys:MaxActivePerUser).");
        }
        if (operation.OperationId == "ListApiKeys")
            operation.Responses["200"] = Json("The user's keys, never the key itself.",
                Object(["items"], new() { ["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = ApiKeySchema() } }));
        if (operation.OperationId == "VerifyEmail" || operation.OperationId == "RevertEmail")
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "token" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["token"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 256 },
                            },
                        },
                    },
                },
            };
        if (operation.OperationId == "GetUser")
        {
            operation.Parameters.Add(Query("version", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
                "The state at this stream version."));
            operation.Parameters.Add(Query("as_of", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                "The state at this point in time (ISO 8601)."));
        }
        if (method == HttpMethod.Put || method == HttpMethod.Patch)
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The version the change is based on, quoted (\"3\"); a stale one gets 412.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(W/)?\"[0-9]+\"$" },
            });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "X-Correlation-Id",
            In = ParameterLocation.Header,
            Description = "Echoed and stored on the events; defaults to the W3C trace id.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128, Pattern = "^[A-Za-z0-9._:-]+$" },
        });

        if (returnsUser)
        {
            var success = operation.OperationId == "RegisterUser" ? "201" : "200";
            operation.Responses.Remove("200");
            operation.Responses[success] = new OpenApiResponse
            {
                Description = success == "201" ? "Created; Location names the user, ETag carries the version." : "The user; ETag carries the version.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(UserSchema, document) },
                },
            };
        }

        AddProblem(document, operation, "400", "Malformed JSON or header.");
        AddProblem(document, operation, "401", "No or bad credentials.");
        AddProblem(document, operation, "403", "Authenticated but not allowed (naming the fields).");
        // A mailed token's holder gets 422 for an unknown user too: no 404 tells which ids exist.
        if (path.Contains("{id}", StringComparison.Ordinal) && operation.OperationId is not ("VerifyEmail" or "RevertEmail"))
            AddProblem(document, operation, "404", "No such user.");
        if (writes)
        {
            AddProblem(document, operation, "413", "Body over the size limit.");
            AddProblem(document, operation, "415", "Content type is not JSON.");
            AddProblem(document, operation, "422", "Validation failed: errors lists every failing field.");
        }
        if (method == HttpMethod.Put || method == HttpMethod.Patch)
            AddProblem(document, operation, "412", "If-Match is stale; ETag carries the current version.");
    }

    private static OpenApiSchema Object(string[] required, Dictionary<string, IOpenApiSchema> properties) =>
        new() { Type = JsonSchemaType.Object, Required = new HashSet<string>(required), Properties = properties };

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    /// <summary>An API key as issued and listed (<c>ApiKeyEndpoints.Describe</c>).</summary>
    private static OpenApiSchema ApiKeySchema()
    {
        OpenApiSchema Text(bool nullable = false, string? format = null) => new()
        {
            Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String,
            Format = format,
        };
        return Object(["id", "name", "prefix", "role", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at"], new()
        {
            ["id"] = Text(format: "uuid"),
            ["name"] = Text(),
            ["prefix"] = Text(),
            ["role"] = Text(nullable: true),
            ["created_at"] = Text(format: "date-time"),
            ["created_by"] = Text(),
            ["expires_at"] = Text(nullable: true, format: "date-time"),
            ["last_used_at"] = Text(nullable: true, format: "date-time"),
            ["revoked_at"] = Text(nullable: true, format: "date-time"),
        });
    }

    private static OpenApiParameter Query(string name, OpenApiSchema schema, string description) =>
        new() { Name = name, In = ParameterLocation.Query, Schema = schema, Description = description };

    private static void AddProblem(OpenApiDocument document, OpenApiOperation operation, string status, string description) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        });
}

/// <summary>JSON schemas of the user, built from the field catalogue <see cref="ProfileFields"/>.</summary>
public static class UserSchemas
{
    public const string AccessExtension = "x-access";

    public static OpenApiSchema Read()
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", ReadOnly = true },
        };
        foreach (var field in ProfileFields.All.Where(f => !f.IsSecret))
            properties[field.Name] = Field(field);
        properties["email_verified"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, ReadOnly = true };
        foreach (var name in ProfileFields.ReadOnly.Where(n => !properties.ContainsKey(n)).Order(StringComparer.Ordinal))
            properties[name] = ReadOnlyField(name);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A user's profile (the read model). Secrets are never returned.",
            Required = new HashSet<string> { "id", "email", "email_verified", "version" },
            Properties = properties,
        };
    }

    public static OpenApiSchema Write()
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in ProfileFields.All.Where(f => f.Access != FieldAccess.ReadOnly))
            properties[field.Name] = Field(field);
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

    /// <summary>One catalogue field: its type, limits and who may write it.</summary>
    public static OpenApiSchema Field(ProfileField field)
    {
        var schema = field.Kind switch
        {
            FieldKind.Name => Text(field, minLength: 1),
            FieldKind.Text => Text(field),
            FieldKind.Username => Text(field, minLength: 3, pattern: "^[a-z0-9_.-]+$"),
            FieldKind.Email => Text(field, format: "email"),
            FieldKind.Password => Text(field, minLength: 8),
            FieldKind.Uri => Text(field, format: "uri", pattern: "^https?://"),
            FieldKind.Country => Text(field, pattern: "^[A-Z]{2}$"),
            FieldKind.Phone => Text(field, pattern: "^\\+[1-9][0-9]{1,14}$"),
            FieldKind.Birthdate => Text(field, format: "date"),
            FieldKind.Locale => Text(field),
            FieldKind.ExpoPushToken => Text(field, pattern: "^(ExponentPushToken|ExpoPushToken)\\[.+\\]$"),
            FieldKind.Timestamp => Text(field, format: "date-time"),
            FieldKind.ConsentMethod => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("opt-in"), JsonValue.Create("text-ref")] },
            FieldKind.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            FieldKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            FieldKind.Notifications or FieldKind.FeatureFlags => new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            _ => Text(field),
        };
        if (field.Clearable && schema.Type is { } type)
            schema.Type = type | JsonSchemaType.Null;
        if (field.IsSecret)
            schema.WriteOnly = true;
        if (field.Access == FieldAccess.ReadOnly)
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

    private static OpenApiSchema Text(ProfileField field, int? minLength = null, string? format = null, string? pattern = null) => new()
    {
        Type = JsonSchemaType.String,
        MaxLength = field.MaxLength,
        MinLength = minLength,
        Format = format,
        Pattern = pattern,
    };

    private static OpenApiSchema ReadOnlyField(string name) => name switch
    {
        "created_at" or "updated_at" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", ReadOnly = true },
        "version" or "follower_count" or "following_count" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", ReadOnly = true },
        "email_verified" => new OpenApiSchema { Type = JsonSchemaType.Boolean, ReadOnly = true },
        _ => new OpenApiSchema { Type = JsonSchemaType.String, ReadOnly = true },
    };
}
