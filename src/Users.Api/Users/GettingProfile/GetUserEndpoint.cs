using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Projections;

namespace Users.Api.Users.GettingProfile;

public static class GetUserEndpoint
{
    public static void MapGetUser(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Read)
            .WithName("GetUser")
            .WithSummary("Read a user's profile (the read model).");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IQuerySession query, CancellationToken ct)
    {
        var profile = await query.LoadAsync<UserProfile>(id, ct);
        return profile is null ? ApiProblem.NotFound(id) : UserResponse.Ok(http, profile);
    }
}
