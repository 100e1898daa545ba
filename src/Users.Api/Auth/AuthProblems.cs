using Users.Api.Http;

namespace Users.Api.Auth;

/// <summary>401 and 403 as problem details, with the challenge a client needs to try again.</summary>
public static class AuthProblems
{
    public static Task WriteUnauthorizedAsync(HttpContext http, string detail, params string[] challenges)
    {
        foreach (var challenge in challenges)
            http.Response.Headers.Append("WWW-Authenticate", challenge);
        return ApiProblem.Of(StatusCodes.Status401Unauthorized, "Unauthorized", detail).ExecuteAsync(http);
    }

    public static IResult Forbidden(string detail, IEnumerable<FieldError>? errors = null) =>
        ApiProblem.Of(StatusCodes.Status403Forbidden, "Forbidden", detail, errors);
}
