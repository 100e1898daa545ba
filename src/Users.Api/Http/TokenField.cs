using System.Text.Json;

namespace Users.Api.Http;

public static class TokenField
{
    /// <summary>
    /// The one refusal for a token that does not hold, whether or not the user in the path exists: a link's
    /// holder must not learn which ids are users.
    /// </summary>
    public static readonly FieldError NotValid = new("/token", "The token is not valid.");

    public const int MaxLength = 256;

    /// <summary>What redeeming a mailed token answers (<see cref="TokenRedeemed"/>).</summary>
    public static IResult Redeemed(string status, bool emailVerified) => TypedResults.Ok(new TokenRedeemed(status, emailVerified));

    /// <summary>Reads a body of the shape <c>{"token": "…"}</c>; a problem naming <c>/token</c> when it is missing or odd.</summary>
    public static async Task<(string? Token, IResult? Problem)> ReadAsync(HttpRequest request, string fromWhere, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(request, ct);
        if (problem is not null)
            return (null, problem);
        if (body!["token"] is not { } tokenNode || tokenNode.GetValueKind() != JsonValueKind.String
            || tokenNode.GetValue<string>() is not { Length: > 0 and <= MaxLength } token)
            return (null, ApiProblem.Validation([new FieldError("/token", $"'token' is required: the token from {fromWhere}.")]));
        return (token, null);
    }
}
