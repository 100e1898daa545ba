using System.Net;
using System.Text.Json;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Dialects;

/// <summary>Seed 002: PATCH /users/{user_id} with Bearer, built from the seed text's own example.</summary>
[Collection(StackCollection.Name)]
public sealed class Seed002ContractTests(UsersStack stack)
{
    private static readonly string[] UserFields =
    [
        "id", "deactivated", "namespace", "username", "email", "email_verified", "first_name", "last_name", "picture",
        "company", "website", "country", "created_at", "updated_at", "consented_at", "consent_method",
    ];

    private Task<HttpResponseMessage> Patch(Guid id, object body) =>
        stack.AnonymousClient().SendJsonAsync(HttpMethod.Patch, $"/users/{id}", body, stack.BearerTokenFor(id));

    [Fact]
    public async Task the_documented_body_updates_the_user_and_returns_the_documented_user_object()
    {
        var id = await stack.RegisterSettledAsync("seed002");
        var username = "ada_" + Guid.NewGuid().ToString("N")[..8];
        var body = new
        {
            username,
            first_name = "Ada",
            last_name = "Lovelace",
            picture = "https://example.com/ada.png",
            company = "Analytical Engines",
            website = "https://example.com/ada",
            country = "GB",
        };

        var response = await Patch(id, body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var user = await response.ReadObjectAsync();
        user.Select(kv => kv.Key).ShouldBe(UserFields);
        user["id"]!.GetValue<Guid>().ShouldBe(id);
        user["deactivated"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        user["email_verified"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        user["namespace"]!.GetValue<string>().ShouldBe("");
        user["email"]!.GetValue<string>().ShouldContain("@");
        foreach (var (name, value) in new (string, string)[]
                 {
                     ("username", username), ("first_name", "Ada"), ("last_name", "Lovelace"), ("picture", "https://example.com/ada.png"),
                     ("company", "Analytical Engines"), ("website", "https://example.com/ada"), ("country", "GB"),
                 })
            user[name]!.GetValue<string>().ShouldBe(value, name);
        DateTimeOffset.Parse(user["updated_at"]!.GetValue<string>()).ShouldBeGreaterThanOrEqualTo(DateTimeOffset.Parse(user["created_at"]!.GetValue<string>()));
        user["consented_at"].ShouldBeNull();
        user["consent_method"].ShouldBeNull();

        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(3);
        events[2].Data.ShouldBeOfType<UserProfileUpdated>().Changes.Count.ShouldBe(7);
        events[2].Headers!["origin"].ToString().ShouldBe("seed-002");
    }

    [Fact]
    public async Task an_undocumented_field_is_refused_and_unknown_or_malformed_ids_are_404()
    {
        var id = await stack.RegisterSettledAsync("seed002bad");

        var undocumented = await Patch(id, new { middle_name = "B" });
        var error = await undocumented.ShouldBeInFamilyAsync("seed-002", HttpStatusCode.UnprocessableEntity);
        error["detail"]!.AsObject().Select(kv => kv.Key).ShouldBe(["middle_name"]);

        (await Patch(Guid.CreateVersion7(), new { first_name = "Nobody" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.AnonymousClient().SendJsonAsync(HttpMethod.Patch, "/users/d81c8ee2", new { first_name = "X" }, stack.BearerTokenFor(id)))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }
}
