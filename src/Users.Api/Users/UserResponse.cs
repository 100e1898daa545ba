using System.Text.Json.Nodes;
using Marten;
using Users.Projections;

namespace Users.Api.Users;

/// <summary>What every response about a user is made from: the read model and the follow counts.</summary>
public sealed record UserView(UserProfile Profile, FollowCounts? Counts)
{
    public int FollowerCount => Counts?.FollowerCount ?? 0;
    public int FollowingCount => Counts?.FollowingCount ?? 0;

    /// <summary>Both documents in one round trip; null when the user does not exist.</summary>
    public static async Task<UserView?> LoadAsync(IQuerySession query, Guid id, CancellationToken ct)
    {
        var batch = query.CreateBatchQuery();
        var profile = batch.Load<UserProfile>(id);
        var counts = batch.Load<FollowCounts>(id);
        await batch.Execute(ct);
        return await profile is { } found ? new UserView(found, await counts) : null;
    }
}

/// <summary>The canonical JSON of a user: the read model with its profile fields flattened.</summary>
public static class UserResponse
{
    public static JsonObject From(UserProfile profile, FollowCounts? counts = null)
    {
        var json = new JsonObject
        {
            ["id"] = profile.Id,
            ["email"] = profile.Email,
            ["email_verified"] = profile.EmailVerified,
        };
        foreach (var (field, value) in profile.Fields.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            json[field] = value?.DeepClone();
        json["is_active"] = profile.IsActive;
        json["emails"] = new JsonArray(profile.Emails.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id,
            ["email"] = e.Email,
            ["verified"] = e.Verified,
            ["created_at"] = e.CreatedAt,
            ["updated_at"] = e.UpdatedAt,
        }).ToArray());
        json["phone_numbers"] = new JsonArray(profile.PhoneNumbers.Select(p => (JsonNode)new JsonObject
        {
            ["id"] = p.Id,
            ["phone_number"] = p.PhoneNumber,
            ["verified"] = p.Verified,
            ["created_at"] = p.CreatedAt,
            ["updated_at"] = p.UpdatedAt,
        }).ToArray());
        json["follower_count"] = counts?.FollowerCount ?? 0;
        json["following_count"] = counts?.FollowingCount ?? 0;
        json["created_at"] = profile.CreatedAt;
        json["updated_at"] = profile.UpdatedAt;
        json["version"] = profile.Version;
        return json;
    }

    public static IResult Ok(HttpContext http, UserProfile profile, int status = StatusCodes.Status200OK, string? location = null,
        FollowCounts? counts = null)
    {
        http.Response.Headers.ETag = Http.ETags.Of(profile.Version);
        if (location is not null)
            http.Response.Headers.Location = location;
        return TypedResults.Json(From(profile, counts), statusCode: status);
    }

    public static IResult Ok(HttpContext http, UserView view) => Ok(http, view.Profile, counts: view.Counts);
}
