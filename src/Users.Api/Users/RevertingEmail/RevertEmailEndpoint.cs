using Users.Api.Auth;
using Marten;
using Users.Api.Http;
using Users.Domain.Decisions;
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
            .WithSummary("Undo a change of email with the token mailed to the previous address; restores it as verified.");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        var (token, problem) = await TokenField.ReadAsync(http.Request, "the email-change notice", ct);
        if (problem is not null)
            return problem;

        RevertEmailOutcome outcome;
        try
        {
            outcome = await bus.InvokeAsync<RevertEmailOutcome>(new RevertEmail(id, token!, RequestContext.From(http, "api/v1", anonymousActsAs: id)), ct);
        }
        catch (Exception e) when (UniqueViolation.IsEmail(e))
        {
            outcome = new RevertEmailOutcome(RevertStatus.EmailTaken);
        }

        switch (outcome.Status)
        {
            case RevertStatus.NotFound:
                return ApiProblem.NotFound(id);
            case RevertStatus.EmailTaken:
                return ApiProblem.Of(StatusCodes.Status409Conflict, "Address taken",
                    "The previous address now belongs to another account, so it cannot be restored.");
            case RevertStatus.Refused:
                return ApiProblem.Validation([new FieldError("/token", outcome.Failure switch
                {
                    RevertFailure.Expired => "The token has expired.",
                    RevertFailure.AlreadyUsed => "The token has already been used.",
                    _ => "The token is not valid.",
                })]);
        }

        var profile = await query.LoadAsync<UserProfile>(id, ct);
        return UserResponse.Ok(http, profile!);
    }
}
