using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.Rules;
using Wolverine;

namespace Users.Api.Dialects.Seed000;

public static class Seed000Endpoint
{
    public const string Tag = "seed-000";

    /// <summary>Seeds 000 and 001 document the same operation; <c>?api_key=in-…</c> is its credential.</summary>
    public static void MapSeed000(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/user/{user_id}", Handle)
            // The only route where the seed documents the key in the query string.
            .AcceptApiKeyInQuery()
            .WithName("Seed000UpdateUserProfile")
            .WithErrorShape(Seed000Mapping.Errors)
            .WithTags(Tag, "seed-001")
            .WithSummary("Update the User Profile (seeds 000/001): null fields are left unchanged.")
            .Accepts<Seed000Request>("application/json")
            .Produces<Seed000Response>()
            .Produces<Seed000Error>(StatusCodes.Status400BadRequest)
            .Produces<Seed000Error>(StatusCodes.Status401Unauthorized)
            .Produces<Seed000Error>(StatusCodes.Status403Forbidden)
            .Produces<Seed000Error>(StatusCodes.Status404NotFound)
            .Produces<Seed000Error>(StatusCodes.Status412PreconditionFailed)
            .Produces<Seed000Error>(StatusCodes.Status422UnprocessableEntity);

    // The id is matched as any text and parsed here: a route constraint would leave a malformed id to routing,
    // which answers before this route's ?api_key= is read (401 instead of 404).
    private static async Task<IResult> Handle([FromRoute(Name = "user_id")] string userIdText, HttpContext http,
        IValidator<ProfileValues> validator, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        if (!Guid.TryParse(userIdText, out var userId))
            return ApiProblem.Of(StatusCodes.Status404NotFound, "User not found", $"No user has the id {userIdText}.");
        return await DialectUpdate.RespondAsync(http, userId, Seed000Mapping.Origin, Seed000Mapping.ToPatch, Seed000Mapping.ToResponse,
            validator, bus, query, ct);
    }
}
