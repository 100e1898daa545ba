using System.Text.Json;

namespace Users.Api.Http;

public static class TokenField
{
    /// <summary>Reads a body of the shape <c>{"token": "…"}</c>; a problem naming <c>/token</c> when it is missing or odd.</summary>
    public static async Task<(string? Token, IResult? Problem)> ReadAsync(HttpRequest request, string fromWhere, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, ct);
        if (problem is not null)
            return (null, problem);
        if (body!["token"] is not { } tokenNode || tokenNode.GetValueKind() != JsonValueKind.String
            || tokenNode.GetValue<string>() is not { Length: > 0 and <= 256 } token)
            return (null, ApiProblem.Validation([new FieldError("/token", $"'token' is required: the token from {fromWhere}.")]));
        return (token, null);
    }
}
