using FluentValidation;
using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Domain.Rules;
using Users.Projections;
using Wolverine;

namespace Users.Api.Users.UpdatingProfile;

public static class UpdateProfileEndpoint
{
    private const string MergePatch = "A JSON merge patch (RFC 7396): absent = unchanged, null = clear. Unknown fields are rejected.";

    public static void MapUpdateProfile(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Write)
            .WithName("PatchUser")
            .WithSummary("Partial update as a JSON merge patch (RFC 7396): absent = unchanged, null = clear.")
            .AcceptsUserFields(MergePatch, mergePatch: true)
            .Answers<UserResponse>(StatusCodes.Status200OK, "The user; ETag carries the version.")
            .AddEndpointFilter<IdempotencyFilter>();
        app.MapPut("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Write)
            .WithName("PutUser")
            .WithSummary("The same partial semantics as PATCH (every seed API updates with PUT).")
            .AcceptsUserFields(MergePatch, mergePatch: true)
            .Answers<UserResponse>(StatusCodes.Status200OK, "The user; ETag carries the version.")
            .AddEndpointFilter<IdempotencyFilter>();
    }

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IQuerySession query,
        IValidator<ProfileValues> validator, CancellationToken ct)
    {
        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return ApiProblem.BadRequest("If-Match must be a quoted version number, e.g. \"3\".");

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;

        if (ProfileUpdateChecks.RefusedFields(http.User, body!) is { } forbidden)
            return forbidden.ToProblem();
        if (await ProfileUpdateChecks.InvalidAsync(validator, query, id, body!, ct) is { } invalid)
            return invalid.ToProblem();

        var outcome = await WritePath.InvokeAsync(bus,
            new UpdateProfile(id, body!, expectedVersion, RequestContext.From(http, "api/v1")), body, ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();
        return UserResponse.Ok(http, (await UserView.LoadAsync(query, id, ct))!);
    }
}
