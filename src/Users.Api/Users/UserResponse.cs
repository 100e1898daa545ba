using System.Text.Json.Nodes;
using Users.Projections;

namespace Users.Api.Users;

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
