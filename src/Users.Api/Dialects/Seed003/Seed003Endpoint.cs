using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Users.Api.Http;
using Users.Domain.Rules;
using Users.Projections;
using Wolverine;

namespace Users.Api.Dialects.Seed003;

public static class Seed003Endpoint
{
    public const string Tag = "seed-003";

    /// <summary>Seed 003: a Bearer-authenticated PUT replacing names, emails and phone numbers.</summary>
    public static void MapSeed003(this IEndpointRouteBuilder app) =>
        app.MapPut("/v1/auth/users/{user_id}/update", Handle)
            .WithName("Seed003UpdateUser")
            .WithErrorShape(Seed003Mapping.Errors)
            .WithTags(Tag)
            .WithSummary("Update User (seed 003): user_id as user_… or a UUID.")
            .Accepts<Seed003Request>("application/json")
            .Produces<Seed003Response>()
            .Produces<Seed003Error>(StatusCodes.Status400BadRequest)
            .Produces<Seed003Error>(StatusCodes.Status401Unauthorized)
            .Produces<Seed003Error>(StatusCodes.Status403Forbidden)
            .Produces<Seed003Error>(StatusCodes.Status404NotFound)
            .Produces<Seed003Error>(StatusCodes.Status412PreconditionFailed)
            .Produces<Seed003Error>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> Handle([FromRoute(Name = "user_id")] string userIdText, HttpContext http,
        IValidator<ProfileValues> validator, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        if (!Seed003Ids.TryParseUser(userIdText, out var userId))
            return ApiProblem.Of(StatusCodes.Status404NotFound, "User not found", $"No user has the id {userIdText}.");
        // The sets are mapped against the current primary address; the update itself is serialized by the handler.
        if (await query.LoadAsync<UserProfile>(userId, ct) is not { } current)
            return ApiProblem.NotFound(userId);
        return await DialectUpdate.RespondAsync(http, userId, Seed003Mapping.Origin, body => Seed003Mapping.ToPatch(body, current.Email),
            Seed003Mapping.ToResponse, validator, bus, query, ct);
    }
}
