using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.Decisions;
using Wolverine;

namespace Users.Api.Users.ResendingVerification;

public static class ResendVerificationEndpoint
{
    public static void MapResendVerification(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/users/{id:guid}/email/verification", Handle)
            .RequireProfileAccess(Access.Write)
            .RequireRateLimiting(RateLimits.VerificationResend)
            .WithName("ResendVerification")
            .WithSummary("Send the verification mail again; 202: the mail follows asynchronously.");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<ResendOutcome>(new ResendVerification(id, RequestContext.From(http, "api/v1")), ct);
        if (!outcome.UserFound)
            return ApiProblem.NotFound(id);
        return outcome.Failure switch
        {
            ResendFailure.AlreadyVerified => ApiProblem.Of(StatusCodes.Status409Conflict, "Already verified",
                "The current address is already verified; there is nothing to send."),
            ResendFailure.NoAddress => ApiProblem.Of(StatusCodes.Status409Conflict, "No address",
                "The user has no address to verify."),
            _ => TypedResults.Json(new Dictionary<string, object> { ["status"] = "accepted", ["detail"] = "A new verification mail is on its way." },
                statusCode: StatusCodes.Status202Accepted),
        };
    }
}
