using System.Text.Json;
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

/// <summary>What the canonical update answered, for a dialect to render in its own words.</summary>
public sealed record DialectOutcome(UserView? View, WriteRefusal? Refusal = null)
{
    public static DialectOutcome Refused(WriteRefusal refusal) => new(null, refusal);
    public static DialectOutcome Invalid(IReadOnlyList<FieldError> errors) => Refused(WriteRefusal.Invalid(errors));
}

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
            return DialectOutcome.Refused(Forbidden("You may change only your own profile.", []));
        if (ProfileAccess.AdminFieldsRefused(http.User, patch) is { Count: > 0 } refused)
            return DialectOutcome.Refused(Forbidden("Only an admin may write these fields; nothing was applied.", refused));
        if (ProfileAccess.KeyFieldsRefused(http.User, patch) is { Count: > 0 } byKey)
            return DialectOutcome.Refused(Forbidden(ProfileAccess.InteractiveOnlyDetail, byKey));

        if (!ETags.TryReadIfMatch(http.Request, out var expectedVersion))
            return DialectOutcome.Invalid([new FieldError("/", "If-Match must be a quoted version number, e.g. \"3\".")]);

        var errors = await TakenValues.ValidateAsync(validator, query, userId, new ProfileValues(patch), tellTakenEmails: true, ct);
        if (errors.Count > 0)
            return DialectOutcome.Invalid(errors);

        var outcome = await WritePath.InvokeAsync(bus, new UpdateProfile(userId, patch, expectedVersion, RequestContext.From(http, origin)), patch, ct);
        if (outcome.Refusal is { } refusal)
            return DialectOutcome.Refused(refusal);

        var view = (await UserView.LoadAsync(query, userId, ct))!;
        http.Response.Headers.ETag = ETags.Of(view.Profile.Version);
        return new DialectOutcome(view);
    }

    private static WriteRefusal Forbidden(string detail, IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", detail, errors);

    /// <summary>
    /// The whole exchange for a dialect: its body mapped to a patch, the canonical update, its response on
    /// success and canonical problem details on failure, which <see cref="DialectErrors"/> writes in the dialect's shape.
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
        return outcome.Refusal is { } refusal ? Problem(refusal) : TypedResults.Ok(toResponse(outcome.View!));
    }

    /// <summary>The canonical rendering of a refusal (problem details); the dialect's shape is applied on the way out.</summary>
    public static IResult Problem(WriteRefusal refusal) => refusal.Status == StatusCodes.Status403Forbidden
        ? AuthProblems.Forbidden(refusal.Detail, refusal.Errors.Count > 0 ? refusal.Errors : null)
        : refusal.ToProblem();
}

/// <summary>The fields a dialect documents, read from its request record so the list lives in one place.</summary>
public static class DocumentedFields
{
    public static IReadOnlySet<string> Of<TRequest>() =>
        typeof(TRequest).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The documented fields of a body as a canonical merge patch (their names are the canonical ones), and
    /// an error naming each undocumented one. Where the dialect reads null as "not provided", nulls are dropped.
    /// </summary>
    public static (JsonObject Patch, List<FieldError> Errors) Patch(JsonObject body, IReadOnlySet<string> documented,
        bool nullMeansNotProvided = false, string pointerPrefix = "")
    {
        var patch = new JsonObject();
        foreach (var (name, value) in body)
            if (documented.Contains(name) && !(nullMeansNotProvided && value is null))
                patch[name] = value?.DeepClone();
        return (patch, Undocumented(body, documented, pointerPrefix));
    }

    /// <summary>No silent mass assignment: a field the dialect does not document is named and refused.</summary>
    public static List<FieldError> Undocumented(JsonObject body, IReadOnlySet<string> documented, string pointerPrefix = "") =>
        body.Where(kv => !documented.Contains(kv.Key))
            .Select(kv => new FieldError($"{pointerPrefix}/{kv.Key}", $"'{kv.Key}' is not a field of this API."))
            .ToList();
}
