using Marten;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;
using Wolverine;

namespace Users.Api.Users.VerifyingEmail;

public static class VerifyEmailEndpoint
{
    public static void MapVerifyEmail(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/users/{id:guid}/email/verify", Handle)
            // The token from the mail is the credential; the page the mail links to sends no other.
            .AllowAnonymous()
            .WithName("VerifyEmail")
            .WithSummary("Redeem the token from the verification mail; answers {status, email_verified}, never the profile.")
            .DocumentsBody<TokenRequest>()
            .Produces<TokenRedeemed>()
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity,
                "The token is missing, not valid (also when the user does not exist), expired, used or voided by a recovery.");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        var (token, problem) = await TokenField.ReadAsync(http.Request, "the verification mail", ct);
        if (problem is not null)
            return problem;

        // Whoever holds the mailed token acts as the user it was mailed to.
        // Another account verifying the same address at the same moment loses at commit: the same 422 as the check.
        var outcome = await WritePath.InvokeAsync(bus,
            new VerifyEmail(id, token!, RequestContext.From(http, "api/v1", anonymousActsAs: id)), claimedValues: null, ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();
        var profile = await query.LoadAsync<UserProfile>(id, ct);
        return TokenField.Redeemed("verified", profile?.EmailVerified == true);
    }
}
