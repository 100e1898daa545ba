using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Mvc;
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
            .WithName("Seed000UpdateUserProfile")
            .WithTags(Tag, "seed-001")
            .WithSummary("Update the User Profile (seeds 000/001): null fields are left unchanged.")
            .Accepts<Seed000Request>("application/json")
            .Produces<Seed000Response>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> Handle([FromRoute(Name = "user_id")] Guid userId, HttpContext http, IValidator<ProfileValues> validator,
        IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;
        var (patch, errors) = Seed000Mapping.ToPatch(body!);
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        var outcome = await DialectUpdate.RunAsync(http, userId, patch, Seed000Mapping.Origin, validator, bus, query, ct);
        return outcome.Status == DialectStatus.Done
            ? TypedResults.Ok(Seed000Mapping.ToResponse(outcome.View!))
            : DialectUpdate.Problem(outcome, userId);
    }
}
