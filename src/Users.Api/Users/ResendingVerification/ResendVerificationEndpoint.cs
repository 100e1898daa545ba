using Users.Api.Auth;
using Users.Api.Http;
using Wolverine;

namespace Users.Api.Users.ResendingVerification;

public static class ResendVerificationEndpoint
{
    public static void MapResendVerification(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/users/{id:guid}/email/verification", Handle)
            .RequireProfileAccess(Access.Write)
            .RequireRateLimiting(RateLimits.VerificationResend)
            .WithName("ResendVerification")
            .WithSummary("Send the verification mail again; 202: the mail follows asynchronously.")
            .Produces<VerificationMailAccepted>(StatusCodes.Status202Accepted);

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<WriteOutcome>(new ResendVerification(id, RequestContext.From(http, "api/v1")), ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();
        return TypedResults.Json(VerificationMailAccepted.Instance, statusCode: StatusCodes.Status202Accepted);
    }
}
