using System.Globalization;
using Marten;
using Microsoft.OpenApi;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Api.Operability;
using Users.Projections;

namespace Users.Api.Users.GettingProfile;

public static class GetUserEndpoint
{
    public static void MapGetUser(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Read)
            .WithName("GetUser")
            .WithSummary("Read a user's profile (the read model); ?version=N or ?as_of=<ISO 8601 time> for the state at that point.")
            .Answers<UserResponse>(StatusCodes.Status200OK, "The user; ETag carries the version.")
            // Read by hand (ReadPointInTime) for one 400 naming both; described here.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "version",
                    In = ParameterLocation.Query,
                    Description = "The state at this stream version.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" },
                });
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "as_of",
                    In = ParameterLocation.Query,
                    Description = "The state at this point in time (ISO 8601).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                });
                return Task.CompletedTask;
            });

    private static async Task<IResult> Handle(Guid id, HttpContext http, IQuerySession query, CancellationToken ct)
    {
        var (pointInTime, problem) = ReadPointInTime(http.Request.Query);
        if (problem is not null)
            return problem;

        if (pointInTime is null)
        {
            var view = await UserView.LoadAsync(query, id, ct);
            if (view is null)
                return ApiProblem.NotFound(id);
            if (view.Profile.IsErased)
                return ApiProblem.Of(StatusCodes.Status404NotFound, "User erased", $"The user {id} has been erased.");
            return UserResponse.Ok(http, view);
        }

        var profile = pointInTime switch
        {
            { Version: { } version } => await query.Events.AggregateStreamAsync<UserProfile>(id, version: version, token: ct),
            { AsOf: { } asOf } => await query.Events.AggregateStreamAsync<UserProfile>(id, timestamp: asOf, token: ct),
            _ => null,
        };
        if (profile is null)
            return pointInTime is null ? ApiProblem.NotFound(id) : ApiProblem.Of(StatusCodes.Status404NotFound, "User not found",
                $"The user {id} did not exist at that point.");
        // Live aggregation stops at the stream's end: a later version than that does not exist (yet).
        if (pointInTime?.Version is { } wanted && profile.Version != wanted)
            return ApiProblem.Of(StatusCodes.Status404NotFound, "Version not found",
                $"The user {id} has no version {wanted}; the latest is {profile.Version}.");
        if (profile.IsErased)
            return ApiProblem.Of(StatusCodes.Status404NotFound, "User erased", $"The user {id} has been erased.");
        // Follow counts live in other streams: a past state shows the current ones.
        return UserResponse.Ok(http, profile, counts: await query.LoadAsync<FollowCounts>(id, ct));
    }

    private sealed record PointInTime(long? Version, DateTimeOffset? AsOf);

    private static (PointInTime? PointInTime, IResult? Problem) ReadPointInTime(IQueryCollection query)
    {
        var hasVersion = query.TryGetValue("version", out var versionText);
        var hasAsOf = query.TryGetValue("as_of", out var asOfText);
        if (hasVersion && hasAsOf)
            return (null, ApiProblem.BadRequest("Give either version or as_of, not both."));
        if (hasVersion)
        {
            if (versionText.Count != 1 || !long.TryParse(versionText[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
                return (null, ApiProblem.BadRequest("version must be a stream version: a whole number from 1."));
            return (new PointInTime(version, null), null);
        }
        if (hasAsOf)
        {
            // ISO 8601 with an explicit offset ("Z" or "+02:00"): a time without one would be ambiguous.
            if (asOfText.Count != 1 || asOfText[0] is not { } text
                || !DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var asOf))
                return (null, ApiProblem.BadRequest("as_of must be an ISO 8601 time with an offset, e.g. 2026-01-31T12:00:00Z."));
            return (new PointInTime(null, asOf.ToUniversalTime()), null);
        }
        return (null, null);
    }

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];
}
