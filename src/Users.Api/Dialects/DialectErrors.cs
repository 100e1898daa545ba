using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Users.Api.Http;

namespace Users.Api.Dialects;

/// <summary>
/// The one place where a dialect's errors take its shape, whoever produced them: the endpoint, body reading,
/// authentication (401), authorization (403), the rate limiter (429), routing (405, 415), the last-resort
/// handler (500). Everything upstream writes canonical problem details (or,
/// for routing, nothing); on a dialect's route this middleware reads that answer back and writes the dialect's.
/// Canonical routes pass through untouched.
/// </summary>
public static class DialectErrors
{
    public static TBuilder WithErrorShape<TBuilder>(this TBuilder endpoint, DialectErrorShape shape) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(shape);

    /// <summary>First in the pipeline, so that it sees what the exception handler, authentication and the rate limiter write.</summary>
    public static void UseDialectErrors(this WebApplication app)
    {
        var routes = new Lazy<IReadOnlyList<DialectRoute>>(() => DialectRoute.All(app.Services.GetRequiredService<EndpointDataSource>()));
        app.Use(async (http, next) =>
        {
            if (ShapeFor(http, routes.Value) is not { } shape)
            {
                await next(http);
                return;
            }

            var response = http.Features.Get<IHttpResponseBodyFeature>()!;
            using var buffer = new MemoryStream();
            var buffered = new StreamResponseBodyFeature(buffer, response);
            http.Features.Set<IHttpResponseBodyFeature>(buffered);
            try
            {
                await next(http);
                await buffered.CompleteAsync();
            }
            finally
            {
                http.Features.Set(response);
            }

            if (IsCanonicalError(http.Response, buffer.Length))
            {
                await WriteAsync(http, shape, Read(http.Response.StatusCode, buffer.ToArray()));
                return;
            }
            buffer.Position = 0;
            await buffer.CopyToAsync(response.Stream, http.RequestAborted);
        });
    }

    /// <summary>
    /// The dialect whose route this is: the matched endpoint's own, or, where routing matched no endpoint or only
    /// a rejection (405, 415), the dialect whose route template the path fits, preferring the one serving the
    /// request's method.
    /// </summary>
    private static DialectErrorShape? ShapeFor(HttpContext http, IReadOnlyList<DialectRoute> routes)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<DialectErrorShape>() is { } own)
            return own;
        if (endpoint is RouteEndpoint)
            return null;
        var fitting = routes.Where(r => r.Fits(http.Request.Path)).ToList();
        return fitting.FirstOrDefault(r => r.Methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))?.Shape
            ?? fitting.FirstOrDefault(r => r.Shape.AnswersSharedPath)?.Shape
            ?? fitting.FirstOrDefault()?.Shape;
    }

    private static bool IsCanonicalError(HttpResponse response, long length) =>
        response.StatusCode >= 400 && (length == 0 || response.ContentType?.StartsWith(ApiProblem.ContentType, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The problem document read back; a body-less answer (routing's) gets the status's reason phrase.</summary>
    private static DialectError Read(int status, byte[] body)
    {
        var reason = ReasonPhrases.GetReasonPhrase(status);
        if (body.Length == 0)
            return new DialectError(status, reason, null, []);
        JsonObject? problem;
        try
        {
            problem = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            problem = null; // not a problem document after all: the status speaks for itself
        }
        var errors = (problem?["errors"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => new FieldError(Text(e["path"]) ?? "", Text(e["message"]) ?? ""))
            .ToList();
        return new DialectError(status, Text(problem?["title"]) ?? reason, Text(problem?["detail"]), errors);

        static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    private static async Task WriteAsync(HttpContext http, DialectErrorShape shape, DialectError error)
    {
        var (status, body) = shape.Write(error);
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), json);
        // A seed that answers 401 where we refuse with 403 still owes the client a challenge (RFC 9110 §15.5.2).
        if (status == StatusCodes.Status401Unauthorized && http.Response.Headers.WWWAuthenticate.Count == 0)
            http.Response.Headers.WWWAuthenticate = Auth.AuthSetup.Realm;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>A dialect endpoint's route template, to place requests that routing matched to no endpoint of it.</summary>
    private sealed record DialectRoute(TemplateMatcher Template, IReadOnlyList<string> Methods, DialectErrorShape Shape)
    {
        public static IReadOnlyList<DialectRoute> All(EndpointDataSource endpoints) =>
            endpoints.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<DialectErrorShape>() is not null)
                .Select(e => new DialectRoute(
                    // The template's segments only, constraints aside: routing has already refused the request.
                    new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()),
                    e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [],
                    e.Metadata.GetMetadata<DialectErrorShape>()!))
                .ToList();

        public bool Fits(PathString path) => Template.TryMatch(path, new RouteValueDictionary());
    }
}
