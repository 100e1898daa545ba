using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;
using Wolverine;

namespace Users.Api.Users.RevertingEmail;

public static class RevertEmailEndpoint
{
    public static void MapRevertEmail(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/users/{id:guid}/email/revert", Handle)
            // The token mailed to the previous address is the credential.
            .AllowAnonymous()
            .WithName("RevertEmail")
            .WithSummary("Undo a change of email with the token mailed to the previous address (an account recovery); answers {status, email_verified}.")
            .DocumentsBody<TokenRequest>()
            .Produces<TokenRedeemed>()
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity,
                "The token is missing, not valid (also when the user does not exist), expired, used or voided by a recovery.")
            .AnswersProblem(StatusCodes.Status409Conflict, "The previous address now belongs to another account.");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        var (token, problem) = await TokenField.ReadAsync(http.Request, "the email-change notice", ct);
        if (problem is not null)
            return problem;

        WriteOutcome outcome;
        try
        {
            outcome = await bus.InvokeAsync<WriteOutcome>(new RevertEmail(id, token!, RequestContext.From(http, "api/v1", anonymousActsAs: id)), ct);
        }
        catch (Exception e) when (UniqueViolation.IsEmail(e))
        {
            // Another account claimed the address between the handler's check and its commit.
            outcome = WriteOutcome.Refused(RevertEmailHandler.AddressTaken);
        }
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();

        var profile = await query.LoadAsync<UserProfile>(id, ct);
        return TokenField.Redeemed("reverted", profile?.EmailVerified == true);
    }
}
