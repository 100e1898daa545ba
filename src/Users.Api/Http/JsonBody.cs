using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Text = Users.Domain.Rules.Text;

namespace Users.Api.Http;

/// <summary>
/// Reads a request body as one JSON object, telling malformed input (400), the wrong media type (415)
/// and an oversized body (413) apart, so that no input reaches a handler unparsed.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;
    private const int MaxDepth = 16;

    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or "application/merge-patch+json"))
            return (null, ApiProblem.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send application/json or application/merge-patch+json."));

        if (await RequestBody.ReadAsync(request, ct) is not { } bytes)
            return (null, TooLarge());
        try
        {
            // Strict UTF-8: invalid byte sequences are malformed input, not replacement characters.
            new UTF8Encoding(false, true).GetCharCount(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiProblem.BadRequest("The body is not valid UTF-8."));
        }

        try
        {
            var node = JsonNode.Parse(bytes, new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            if (node is not JsonObject obj)
                return (null, ApiProblem.BadRequest("The body must be a JSON object."));
            if (!IsReadable(obj))
                return (null, ApiProblem.BadRequest("The body has a name or string that is not valid Unicode (a lone surrogate escape)."));
            return (obj, null);
        }
        catch (JsonException e)
        {
            var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, ApiProblem.BadRequest($"The body is not valid JSON{position}."));
        }
        catch (ArgumentException)
        {
            // Duplicate property names surface as ArgumentException from JsonObject.
            return (null, ApiProblem.BadRequest("The body has a property more than once."));
        }
    }

    /// <summary>
    /// Reads every name and string once: JSON may escape a lone surrogate ("\ud800"), which parses but
    /// cannot become a .NET string, and would otherwise fail later, wherever it is first read.
    /// </summary>
    private static bool IsReadable(JsonNode? node)
    {
        try
        {
            return Visit(node);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Visit(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (name, value) in o)
                        if (Text.HasLoneSurrogate(name) || !Visit(value))
                            return false;
                    return true;
                case JsonArray a:
                    return a.All(Visit);
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    return !Text.HasLoneSurrogate(v.GetValue<string>());
                default:
                    return true;
            }
        }
    }

    private static IResult TooLarge() => ApiProblem.Of(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"The body may be at most {MaxBytes} bytes.");
}
