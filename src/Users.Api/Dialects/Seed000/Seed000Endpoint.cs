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
        app.MapPut("/api/v1/user/{user_id:guid}", Handle)
            // The only route where the seed documents the key in the query string.
            .AcceptApiKeyInQuery()
            .WithName("Seed000UpdateUserProfile")
            .WithTags(Tag, "seed-001")
            .WithSummary("Update the User Profile (seeds 000/001): null fields are left unchanged.")
            .Accepts<Seed000Request>("application/json")
            .Produces<Seed000Response>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static Task<IResult> Handle([FromRoute(Name = "user_id")] Guid userId, HttpContext http, IValidator<ProfileValues> validator,
        IMessageBus bus, IQuerySession query, CancellationToken ct)
        => DialectUpdate.RespondAsync(http, userId, Seed000Mapping.Origin, Seed000Mapping.ToPatch, Seed000Mapping.ToResponse,
            validator, bus, query, ct);
}
