namespace Users.Api.Http;

/// <summary>RFC 9457 problem details with the per-field <c>errors</c> list the API contract promises.</summary>
public static class ApiProblem
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string title, string? detail = null, IEnumerable<FieldError>? errors = null,
        IDictionary<string, object?>? extensions = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            ["title"] = title,
            ["status"] = status,
        };
        if (detail is not null)
            body["detail"] = detail;
        if (errors is not null)
            body["errors"] = errors.Select(e => new Dictionary<string, string> { ["path"] = e.Path, ["message"] = e.Message }).ToList();
        if (extensions is not null)
            foreach (var (key, value) in extensions)
                body[key] = value;
        return TypedResults.Json(body, statusCode: status, contentType: ContentType);
    }

    public static IResult Validation(IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        Operability.UsersMetrics.ValidationFailed(list.Select(e => e.Path));
        return Of(StatusCodes.Status422UnprocessableEntity, "Validation failed", "One or more fields are invalid.", list);
    }

    public static IResult NotFound(Guid id) =>
        Of(StatusCodes.Status404NotFound, "User not found", $"No user has the id {id}.");

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Malformed request", detail);

    public static IResult PreconditionFailed(long currentVersion) => new PreconditionFailedResult(currentVersion);

    private sealed class PreconditionFailedResult(long currentVersion) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = ETags.Of(currentVersion);
            return Of(StatusCodes.Status412PreconditionFailed, "Precondition failed",
                $"If-Match does not match the current version {currentVersion}.").ExecuteAsync(http);
        }
    }
}
