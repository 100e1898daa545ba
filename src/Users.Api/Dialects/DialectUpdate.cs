using System.Text.Json.Nodes;
using FluentValidation;
using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Users;
using Users.Api.Users.UpdatingProfile;
using Users.Domain.Rules;
using Wolverine;

namespace Users.Api.Dialects;

/// <summary>
/// The canonical update as every dialect runs it: the same authorization, validation, command and handler,
/// the same read model. A dialect only maps its body to a merge patch and the outcome to its response.
/// </summary>
public static class DialectUpdate
{
    public static async Task<DialectOutcome> RunAsync(HttpContext http, Guid userId, JsonObject patch, string origin,
        IValidator<ProfileValues> validator, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        // The same object- and property-level authorization as the canonical routes, for every dialect.
        if (!ProfileAccess.Allows(http.User, userId, Access.Write))
            return DialectOutcome.Refused(ProfileUpdateChecks.Forbidden("You may change only your own profile.", []));
        if (ProfileUpdateChecks.RefusedFields(http.User, patch) is { } forbidden)
            return DialectOutcome.Refused(forbidden);

        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return DialectOutcome.Invalid([new FieldError("/", "If-Match must be a quoted version number, e.g. \"3\".")]);

        if (await ProfileUpdateChecks.InvalidAsync(validator, query, userId, patch, ct) is { } invalid)
            return DialectOutcome.Refused(invalid);

        var outcome = await WritePath.InvokeAsync(bus, new UpdateProfile(userId, patch, expectedVersion, RequestContext.From(http, origin)), patch, ct);
        if (outcome.Refusal is { } refusal)
            return DialectOutcome.Refused(refusal);

        var view = (await UserView.LoadAsync(query, userId, ct))!;
        http.Response.Headers.ETag = ETags.Of(view.Profile.Version);
        return new DialectOutcome(view);
    }

    /// <summary>
    /// The whole exchange for a dialect: its body mapped to a patch, the canonical update, its response on
    /// success and canonical problem details on failure (<see cref="WriteRefusal.ToProblem"/>), which
    /// <see cref="DialectErrors"/> writes in the dialect's shape.
    /// </summary>
    public static async Task<IResult> RespondAsync<TResponse>(HttpContext http, Guid userId, string origin,
        Func<JsonObject, (JsonObject Patch, List<FieldError> Errors)> toPatch, Func<UserView, TResponse> toResponse,
        IValidator<ProfileValues> validator, IMessageBus bus, IQuerySession query, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;
        var (patch, errors) = toPatch(body!);
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        var outcome = await RunAsync(http, userId, patch, origin, validator, bus, query, ct);
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(toResponse(outcome.View!));
    }
}
