using FluentValidation;
using Marten;
using Users.Api.Http;
using Users.Domain.Rules;
using Wolverine;

namespace Users.Api.Dialects.Seed004;

/// <summary>Marks the seed-004 endpoint, whose 401 must be written in its documented shape (see <see cref="Seed004Endpoint.Unauthorized"/>).</summary>
public sealed class Seed004ErrorShape;

public static class Seed004Endpoint
{
    public const string Tag = "seed-004";

    /// <summary>Seed 004: PUT with <c>{ "user": { … } }</c>, Bearer or API key; errors as <c>{ status, message }</c>.</summary>
    public static void MapSeed004(this IEndpointRouteBuilder app) =>
        app.MapPut("/users/{id}", Handle)
            .WithName("Seed004UpdateUser")
            .WithTags(Tag)
            .WithSummary("Update user (seed 004): an email change marks it unverified and sends a verification mail.")
            .WithMetadata(new Seed004ErrorShape())
            .Accepts<Seed004Request>("application/json")
            .Produces<Seed004Response>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Produces<Seed004Error>(StatusCodes.Status401Unauthorized)
            .Produces<Seed004Error>(StatusCodes.Status404NotFound)
            .Produces<Seed004Error>(StatusCodes.Status412PreconditionFailed)
            .Produces<Seed004ValidationError>(StatusCodes.Status422UnprocessableEntity);

    public static readonly Seed004Error Unauthorized = new("error", "Not authenticated or insufficient permissions");

    private static async Task<IResult> Handle(string id, HttpContext http, IValidator<ProfileValues> validator,
        IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var userId))
            return NotFound();
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem; // 400/413/415 are not documented by the seed: the canonical problem details
        var (patch, errors) = Seed004Mapping.ToPatch(body!);
        if (errors.Count > 0)
            return Invalid(errors);

        var outcome = await DialectUpdate.RunAsync(http, userId, patch, Seed004Mapping.Origin, validator, bus, query, ct);
        return outcome.Refusal?.Status switch
        {
            null => TypedResults.Ok(Seed004Mapping.ToResponse(outcome.View!)),
            StatusCodes.Status404NotFound => NotFound(),
            // The seed documents one 401 for "not authenticated or insufficient permissions".
            StatusCodes.Status403Forbidden => TypedResults.Json(Unauthorized, statusCode: StatusCodes.Status401Unauthorized),
            StatusCodes.Status412PreconditionFailed => TypedResults.Json(new Seed004Error("error", "The user has changed since the version in If-Match"),
                statusCode: StatusCodes.Status412PreconditionFailed),
            _ => Invalid(outcome.Refusal.Errors),
        };
    }

    private static IResult NotFound() =>
        TypedResults.Json(new Seed004Error("error", "User not found"), statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(IEnumerable<FieldError> errors) =>
        TypedResults.UnprocessableEntity(Seed004Mapping.ToValidationError(errors));
}
