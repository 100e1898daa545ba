using System.Text.Json.Nodes;
using Users.Api.Http;
using Users.Api.Users;

namespace Users.Api.Dialects.Seed000;

public static class Seed000Mapping
{
    public const string Origin = "seed-000";
    private static readonly IReadOnlySet<string> Documented = DocumentedFields.Of<Seed000Request>();

    /// <summary>
    /// Every body field is documented as nullable with no default and no "clear" operation, the shape of
    /// a generated client that sends its whole model: so <c>null</c> means "not provided" and leaves the
    /// value alone (clearing is the canonical API's <c>null</c>). Anything else passes through unchanged.
    /// </summary>
    public static (JsonObject Patch, List<FieldError> Errors) ToPatch(JsonObject body) =>
        DocumentedFields.Patch(body, Documented, nullMeansNotProvided: true);

    public static Seed000Response ToResponse(UserView view)
    {
        var p = view.Profile;
        return new Seed000Response("Data updated successfully", new JsonObject(), new Seed000User(
            p.Text("first_name"), p.Text("last_name"), p.Email,
            p.IsActive, p.Flag("is_superuser"), p.Time("birthdate"), p.Flag("is_enterprise"), p.Uuid("role_id"),
            p.Text("phone"), p.Text("state"), p.Text("country"), p.Text("address"),
            p.Uuid("active_billing_plan_id"), p.Uuid("next_billing_plan_id"),
            p.Text("stripe_customer_id"), p.Text("stripe_subscription_id"), p.Text("stripe_subscription_status"),
            p.Flag("stripe_has_payment_method"),
            p.Flag("is_trial"), p.Flag("used_trial"), p.Flag("is_paying"),
            p.Time("stripe_last_payment_date"), p.Time("billing_updated_at"),
            p.Time("last_credits_refresh"), p.Time("next_credits_refresh"),
            p.Id, view.FollowerCount, view.FollowingCount));
    }

    /// <summary>The seed documents no error; its envelope carries one as well as a success (<c>data</c> is nullable).</summary>
    public static readonly DialectErrorShape Errors = new(Origin, e =>
        new DialectErrorBody(e.Status, new Seed000Error(e.Message, new Seed000ErrorMeta(e.Status, e.Errors), null)));
}
