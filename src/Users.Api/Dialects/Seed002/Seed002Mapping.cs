using System.Text.Json.Nodes;
using Users.Api.Http;
using Users.Api.Users;

namespace Users.Api.Dialects.Seed002;

public static class Seed002Mapping
{
    public const string Origin = "seed-002";
    private static readonly IReadOnlySet<string> Documented = DocumentedFields.Of<Seed002Request>();

    /// <summary>A PATCH of the documented fields: the body is already a merge patch in canonical names.</summary>
    public static (JsonObject Patch, List<FieldError> Errors) ToPatch(JsonObject body) => DocumentedFields.Patch(body, Documented);

    /// <summary>Every documented string is required, so an unset one reads as "" rather than null.</summary>
    public static Seed002User ToResponse(UserView view)
    {
        var p = view.Profile;
        return new Seed002User(
            p.Id, !p.IsActive, p.Text("namespace") ?? "", p.Text("username") ?? "", p.Email, p.EmailVerified,
            p.Text("first_name") ?? "", p.Text("last_name") ?? "", p.Text("picture") ?? "", p.Text("company") ?? "",
            p.Text("website") ?? "", p.Text("country") ?? "",
            p.CreatedAt, p.UpdatedAt, p.Time("consented_at"), p.Text("consent_method"));
    }

    /// <summary>
    /// The seed documents no error. It also answers where <c>/users/{id}</c> (seed 004's PUT too) matched no
    /// method: its object carries seed 004's <c>status: "error"</c> and <c>message</c> as well.
    /// </summary>
    public static readonly DialectErrorShape Errors = new(Origin, e =>
        new DialectErrorBody(e.Status, new Seed002Error("error", e.Status, e.Title, e.Message,
            e.Errors.GroupBy(f => DialectError.PropertyPath(f.Path))
                .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(f => f.Message))))),
        AnswersSharedPath: true);
}
