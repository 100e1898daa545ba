using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Users.Api.Http;
using Users.Domain.Rules;
using Wolverine;

namespace Users.Api.Dialects.Seed002;

public static class Seed002Endpoint
{
    public const string Tag = "seed-002";

    /// <summary>Seed 002: a Bearer-authenticated PATCH of the user object.</summary>
    public static void MapSeed002(this IEndpointRouteBuilder app) =>
        app.MapPatch("/users/{user_id}", Handle)
            .WithName("Seed002UpdateUser")
            .WithErrorShape(Seed002Mapping.Errors)
            .WithTags(Tag)
            .WithSummary("Update a user (seed 002).")
            .Accepts<Seed002Request>("application/json")
            .Produces<Seed002User>()
            .Produces<Seed002Error>(StatusCodes.Status400BadRequest)
            .Produces<Seed002Error>(StatusCodes.Status401Unauthorized)
            .Produces<Seed002Error>(StatusCodes.Status403Forbidden)
            .Produces<Seed002Error>(StatusCodes.Status404NotFound)
            .Produces<Seed002Error>(StatusCodes.Status412PreconditionFailed)
            .Produces<Seed002Error>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> Handle([FromRoute(Name = "user_id")] string userIdText, HttpContext http, IValidator<ProfileValues> validator,
        IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        if (!Guid.TryParse(userIdText, out var userId))
            return ApiProblem.Of(StatusCodes.Status404NotFound, "User not found", $"No user has the id {userIdText}.");
        return await DialectUpdate.RespondAsync(http, userId, Seed002Mapping.Origin, Seed002Mapping.ToPatch, Seed002Mapping.ToResponse,
            validator, bus, query, ct);
    }
}
