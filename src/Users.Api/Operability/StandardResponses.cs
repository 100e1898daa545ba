using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Users.Api.Operability;

/// <summary>
/// What every route shares, decided by its method and path, never by its name: the correlation header,
/// If-Match on PUT and PATCH, and the problems the pipeline answers before a handler runs. A route's own
/// answers (<see cref="EndpointDocs.AnswersProblem{TBuilder}"/>) come first and are kept.
/// </summary>
public static class StandardResponses
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var method = description.HttpMethod?.ToUpperInvariant();
        var path = "/" + description.RelativePath;
        var writes = method is "POST" or "PUT" or "PATCH";
        var conditional = method is "PUT" or "PATCH";
        operation.Responses ??= new OpenApiResponses();
        operation.Parameters ??= new List<IOpenApiParameter>();

        if (conditional)
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

        var document = context.Document;
        EndpointDocs.AddProblem(operation, document, "400", "Malformed JSON or header.", replace: false);
        EndpointDocs.AddProblem(operation, document, "401", "No or bad credentials.", replace: false);
        EndpointDocs.AddProblem(operation, document, "403", "Authenticated but not allowed (naming the fields).", replace: false);
        // Whoever holds a mailed token is anonymous and gets 422 for an unknown user too: no 404 tells which ids exist.
        var anonymous = description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        if (path.Contains("{id}", StringComparison.Ordinal) && !anonymous)
            EndpointDocs.AddProblem(operation, document, "404", "No such user.", replace: false);
        if (writes)
        {
            EndpointDocs.AddProblem(operation, document, "413", "Body over the size limit.", replace: false);
            EndpointDocs.AddProblem(operation, document, "415", "Content type is not JSON.", replace: false);
            EndpointDocs.AddProblem(operation, document, "422", "Validation failed: errors lists every failing field.", replace: false);
        }
        if (conditional)
            EndpointDocs.AddProblem(operation, document, "412", "If-Match is stale; ETag carries the current version.", replace: false);
        return Task.CompletedTask;
    }
}
