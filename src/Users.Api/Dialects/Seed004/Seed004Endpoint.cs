using FluentValidation;
using Marten;
using Users.Api.Http;
using Users.Domain.Rules;
using Wolverine;

namespace Users.Api.Dialects.Seed004;

public static class Seed004Endpoint
{
    public const string Tag = "seed-004";

    /// <summary>Seed 004: PUT with <c>{ "user": { … } }</c>, Bearer or API key; errors as <c>{ status, message }</c>.</summary>
    public static void MapSeed004(this IEndpointRouteBuilder app) =>
        app.MapPut("/users/{id}", Handle)
            .WithName("Seed004UpdateUser")
            .WithTags(Tag)
            .WithSummary("Update user (seed 004): an email change marks it unverified and sends a verification mail.")
            .WithErrorShape(Seed004Mapping.Errors)
            .Accepts<Seed004Request>("application/json")
            .Produces<Seed004Response>()
            .Produces<Seed004Error>(StatusCodes.Status400BadRequest)
            .Produces<Seed004Error>(StatusCodes.Status401Unauthorized)
            .Produces<Seed004Error>(StatusCodes.Status404NotFound)
            .Produces<Seed004Error>(StatusCodes.Status412PreconditionFailed)
            .Produces<Seed004ValidationError>(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> Handle(string id, HttpContext http, IValidator<ProfileValues> validator,
        IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        // The seed documents integer ids; ours are UUIDs, so any other id names nobody.
        if (!Guid.TryParse(id, out var userId))
            return ApiProblem.Of(StatusCodes.Status404NotFound, "User not found", $"No user has the id {id}.");
        return await DialectUpdate.RespondAsync(http, userId, Seed004Mapping.Origin, Seed004Mapping.ToPatch, Seed004Mapping.ToResponse,
            validator, bus, query, ct);
    }
}
