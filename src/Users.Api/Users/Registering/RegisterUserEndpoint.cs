using FluentValidation;
using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Domain.Rules;
using Users.Projections;
using Wolverine;

namespace Users.Api.Users.Registering;

public static class RegisterUserEndpoint
{
    /// <summary>Open registration lets anyone sign up; closed, only admins register users.</summary>
    public static void MapRegisterUser(this IEndpointRouteBuilder app, bool openRegistration)
    {
        var endpoint = app.MapPost("/api/v1/users", Handle)
            .RefuseAuditors()
            .WithName("RegisterUser")
            .WithSummary("Register a user (email required; password, names and profile fields optional).")
            .AcceptsUserFields("The new user's fields; email is required.", mergePatch: false)
            .Answers<UserResponse>(StatusCodes.Status201Created, "Created; Location names the user, ETag carries the version.")
            .AddEndpointFilter<IdempotencyFilter>();
        if (openRegistration)
            endpoint.AllowAnonymous();
        else
            endpoint.RequireAuthorization(AuthSetup.AdminPolicy);
    }

    private static async Task<IResult> Handle(HttpContext http, IMessageBus bus, IQuerySession query,
        IValidator<ProfileValues> validator, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
            return problem;

        if (ProfileAccess.RefuseAdminFields(http.User, body!) is { } forbidden)
            return forbidden;

        // An anonymous caller is not told that an address is taken (that would say it has an account here): the
        // account is created, its address unverified, and the address's owner is mailed a notice (docs/auth.md).
        var tellTakenEmails = http.User.Identity?.IsAuthenticated == true;
        var id = Guid.CreateVersion7();
        var errors = await TakenValues.ValidateAsync(validator, query, id, new ProfileValues(body!, IsRegistration: true), tellTakenEmails, ct);
        if (errors.Count > 0)
            return ApiProblem.Validation(errors);

        // Someone signing themselves up acts as the user they become.
        var outcome = await WritePath.InvokeAsync(bus,
            new RegisterUser(id, body!, RequestContext.From(http, "api/v1", anonymousActsAs: id), tellTakenEmails), body, ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();

        var profile = await query.LoadAsync<UserProfile>(id, ct);
        return UserResponse.Ok(http, profile!, StatusCodes.Status201Created, $"/api/v1/users/{id}");
    }
}
