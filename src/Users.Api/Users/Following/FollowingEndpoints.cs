using Microsoft.AspNetCore.Mvc;
using Users.Api.Auth;
using Users.Api.Http;
using Wolverine;

namespace Users.Api.Users.Following;

public static class FollowingEndpoints
{
    public static void MapFollowing(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v1/users/{id:guid}/following/{other_id:guid}",
                (Guid id, [FromRoute(Name = "other_id")] Guid otherId, HttpContext http, IMessageBus bus, CancellationToken ct) =>
                    Handle(new ChangeFollowing(id, otherId, Follow: true, RequestContext.From(http, "api/v1")), bus, ct))
            .RequireProfileAccess(Access.Write)
            .WithName("FollowUser")
            .WithSummary("Follow another user (idempotent: following twice changes nothing).")
            .Produces(StatusCodes.Status204NoContent);
        app.MapDelete("/api/v1/users/{id:guid}/following/{other_id:guid}",
                (Guid id, [FromRoute(Name = "other_id")] Guid otherId, HttpContext http, IMessageBus bus, CancellationToken ct) =>
                    Handle(new ChangeFollowing(id, otherId, Follow: false, RequestContext.From(http, "api/v1")), bus, ct))
            .RequireProfileAccess(Access.Write)
            .WithName("UnfollowUser")
            .WithSummary("Stop following another user (idempotent: unfollowing someone not followed changes nothing).")
            .Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> Handle(ChangeFollowing command, IMessageBus bus, CancellationToken ct) =>
        await bus.InvokeAsync<WriteOutcome>(command, ct) is { Refusal: { } refusal }
            ? refusal.ToProblem()
            : TypedResults.NoContent();
}
