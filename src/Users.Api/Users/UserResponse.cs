using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Users.Projections;

namespace Users.Api.Users;

/// <summary>
/// The canonical JSON of a user: the read model with its profile fields flattened. The catalogue's fields are
/// data, not members: they travel in <see cref="Fields"/>, and the OpenAPI document describes this type as the
/// catalogue's <c>User</c> schema (<see cref="Operability.OpenApiDocumentation"/>).
/// </summary>
public sealed record UserResponse(
    Guid Id, string Email, bool EmailVerified, bool IsActive,
    IReadOnlyList<ContactEmail> Emails, IReadOnlyList<ContactPhoneNumber> PhoneNumbers,
    int FollowerCount, int FollowingCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version)
{
    /// <summary>The catalogue fields the user has, by name, ordered by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Fields { get; init; } = [];

    public static UserResponse From(UserProfile profile, FollowCounts? counts = null)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        // A member above always wins over a field of the same name.
        foreach (var (field, value) in profile.Fields.Where(kv => !MemberNames.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            fields[field] = value?.DeepClone();
        return new UserResponse(profile.Id, profile.Email, profile.EmailVerified, profile.IsActive, profile.Emails, profile.PhoneNumbers,
            counts?.FollowerCount ?? 0, counts?.FollowingCount ?? 0, profile.CreatedAt, profile.UpdatedAt, profile.Version)
        {
            Fields = fields,
        };
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

    private static readonly HashSet<string> MemberNames =
    [
        "id", "email", "email_verified", "is_active", "emails", "phone_numbers", "follower_count", "following_count",
        "created_at", "updated_at", "version",
    ];
}
