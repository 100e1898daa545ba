using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Users.Api.Operability;

/// <summary>
/// What a route says about itself in the OpenAPI document beyond its types: what an answer means, the
/// catalogue's write schema (its fields are data, not a C# type), and the meaning of its own problem answers.
/// </summary>
public static class EndpointDocs
{
    /// <summary>
    /// The route answers <paramref name="status"/> with a <typeparamref name="T"/>, and what that answer means here
    /// (<c>Produces&lt;T&gt;</c> with a description).
    /// </summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, int status, string description) =>
        builder.Produces<T>(status).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) is OpenApiResponse answer)
                answer.Description = description;
            return Task.CompletedTask;
        });

    /// <summary>The route takes the catalogue's writable fields (<see cref="OpenApiDocumentation.UserWriteSchema"/>).</summary>
    public static RouteHandlerBuilder AcceptsUserFields(this RouteHandlerBuilder builder, string description, bool mergePatch) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(OpenApiDocumentation.UserWriteSchema, context.Document) },
            };
            if (mergePatch)
                content["application/merge-patch+json"] = new() { Schema = new OpenApiSchemaReference(OpenApiDocumentation.UserWriteSchema, context.Document) };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Description = description, Content = content };
            return Task.CompletedTask;
        });

    /// <summary>
    /// The JSON body the route reads, described by a type. Documentation only: the handler reads the body itself
    /// (<see cref="Http.JsonBody"/>), so that every failing field is reported at once and a wrong media type gets
    /// the API's 415 problem (an <c>Accepts</c> would let routing answer it instead).
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder, string? description = null) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>A problem this route answers, and what it means here.</summary>
    public static TBuilder AnswersProblem<TBuilder>(this TBuilder builder, int status, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            AddProblem(operation, context.Document, status.ToString(System.Globalization.CultureInfo.InvariantCulture), description, replace: true);
            return Task.CompletedTask;
        });

    internal static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, string status, string description, bool replace)
    {
        operation.Responses ??= new OpenApiResponses();
        if (!replace && operation.Responses.ContainsKey(status))
            return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(OpenApiDocumentation.ProblemSchema, document) },
            },
        };
    }
}
