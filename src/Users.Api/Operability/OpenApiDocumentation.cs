using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Users.Api.Users;
using Users.Domain.Rules;

namespace Users.Api.Operability;

/// <summary>
/// The OpenAPI 3.1 document at /openapi/v1.json and, in Development, the Scalar UI at /scalar. Routes
/// describe themselves (typed <c>Produces</c>/<c>Accepts</c>, <see cref="EndpointDocs"/>); the one transformer
/// here adds what the field catalogue decides: the <c>User</c> schema (of <see cref="UserResponse"/>, whose
/// fields are data) and the <c>UserWrite</c> schema, so the limits
/// documented are the limits enforced, plus the error shape and the credentials.
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
            // Typed shapes inline where they are used, so an operation reads whole; the canonical user is the
            // catalogue's shared schema, referenced by name and written below.
            options.CreateSchemaReferenceId = type => type.Type == typeof(UserResponse) ? UserSchema : null;
            options.AddDocumentTransformer((document, context, _) =>
            {
                Describe(document, context.ApplicationServices.GetRequiredService<ProfileValueSets>());
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(StandardResponses.Describe);
        });

    public static void MapUsersOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference("/scalar", o => o.WithTitle("Users API")).AllowAnonymous();
    }

    private static void Describe(OpenApiDocument document, ProfileValueSets sets)
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
        document.Components.Schemas[UserSchema] = UserSchemas.Read(sets);
        document.Components.Schemas[UserWriteSchema] = UserSchemas.Write(sets);
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
    }
}
