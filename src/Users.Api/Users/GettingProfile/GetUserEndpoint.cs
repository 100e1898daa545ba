using Marten;
using Users.Api.Http;

namespace Users.Api.Users.GettingProfile;

public static class GetUserEndpoint
{
    public static void MapGetUser(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/users/{id:guid}", Handle)
            .WithName("GetUser")
            .WithSummary("Read a user's profile (the read model).");

    private static async Task<IResult> Handle(Guid id, HttpContext http, IQuerySession query, CancellationToken ct)
    {
        var view = await UserView.LoadAsync(query, id, ct);
        return view is null ? ApiProblem.NotFound(id) : UserResponse.Ok(http, view);
    }
}
