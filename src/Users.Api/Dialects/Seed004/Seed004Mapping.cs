using System.Text.Json.Nodes;
using Users.Api.Http;
using Users.Api.Users;

namespace Users.Api.Dialects.Seed004;

public static class Seed004Mapping
{
    public const string Origin = "seed-004";
    public const string DefaultLocale = "en";
    private static readonly IReadOnlySet<string> Documented = DocumentedFields.Of<Seed004UserInput>();
    private static readonly IReadOnlySet<string> Wrapper = DocumentedFields.Of<Seed004Request>();

    /// <summary>The documented fields inside <c>user</c> are canonical names already: the patch is that object.</summary>
    public static (JsonObject Patch, List<FieldError> Errors) ToPatch(JsonObject body)
    {
        if (body["user"] is not JsonObject user)
            return (new JsonObject(), [new FieldError("/user", "'user' is required: an object of the fields to change.")]);
        var (patch, errors) = DocumentedFields.Patch(user, Documented, pointerPrefix: "/user");
        errors.AddRange(DocumentedFields.Undocumented(body, Wrapper));
        return (patch, errors);
    }

    public static Seed004Response ToResponse(UserView view)
    {
        var p = view.Profile;
        return new Seed004Response("success", "User updated successfully", new Seed004User(
            p.Id, p.Email, p.Text("first_name"), p.Text("last_name"), [],
            p.Texts("feature_flags"), p.Texts("notifications"), p.IsActive ? "active" : "inactive",
            p.Text("locale") ?? DefaultLocale, p.CreatedAt));
    }

    public const string Unauthorized = "Not authenticated or insufficient permissions";

    /// <summary>
    /// The documented errors: one 401 for "not authenticated or insufficient permissions" (so our 403 too),
    /// 404 "User not found", 422 "Failed to update user" with every failing field; any other status in the same
    /// <c>{status, message}</c>.
    /// </summary>
    public static readonly DialectErrorShape Errors = new(Origin, e => e.Status switch
    {
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden =>
            new DialectErrorBody(StatusCodes.Status401Unauthorized, new Seed004Error("error", Unauthorized)),
        StatusCodes.Status404NotFound => new DialectErrorBody(e.Status, new Seed004Error("error", "User not found")),
        StatusCodes.Status422UnprocessableEntity => new DialectErrorBody(e.Status, ToValidationError(e.Errors)),
        _ => new DialectErrorBody(e.Status, new Seed004Error("error", e.Message)),
    });

    /// <summary>
    /// The documented 422: property paths ("email", "notifications.0") rather than JSON pointers, and
    /// full messages without a closing period ("Password is too short (minimum is 8 characters)").
    /// </summary>
    public static Seed004ValidationError ToValidationError(IEnumerable<FieldError> errors) =>
        new("error", "Failed to update user", errors.Select(e => new Seed004FieldError(
            PropertyPath(e.Path), e.Message.TrimEnd('.'))).ToList());

    private static string PropertyPath(string pointer)
    {
        var path = DialectError.PropertyPath(pointer);
        // The documented paths name the user's fields without the "user" wrapper.
        return path.StartsWith("user.", StringComparison.Ordinal) ? path["user.".Length..] : path;
    }
}
