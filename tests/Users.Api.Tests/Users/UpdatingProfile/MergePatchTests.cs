using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Profile;

/// <summary>RFC 7396 over every kind of field: absent leaves it, null clears it, a value sets it.</summary>
[Collection(ProfileCollection.Name)]
public sealed class MergePatchTests(ProfileStack stack)
{
    public static TheoryData<string, string, string> Fields => new()
    {
        { "first_name", "\"Ada\"", "\"Augusta\"" },
        { "middle_name", "\"King\"", "\"Byron\"" },
        { "last_name", "\"Lovelace\"", "\"King\"" },
        { "username", "\"{unique}a\"", "\"{unique}b\"" },
        { "phone", "\"+14155552671\"", "\"+33612345678\"" },
        { "picture", "\"https://example.com/a.png\"", "\"https://example.com/b.png\"" },
        { "website", "\"https://ada.example\"", "\"http://lovelace.example/\"" },
        { "company", "\"Analytical\"", "\"Difference\"" },
        { "country", "\"GB\"", "\"FR\"" },
        { "state", "\"London\"", "\"Surrey\"" },
        { "address", "\"12 St James's Sq\"", "\"Ockham Park\\nSurrey\"" },
        { "birthdate", "\"1915-12-10\"", "\"1916-12-10T00:00:00Z\"" },
        { "locale", "\"en\"", "\"fr\"" },
        { "notifications", "[\"email_new_transaction\"]", "[\"push_new_transaction\",\"email_new_transaction\"]" },
        { "feature_flags", "[\"affiliate\"]", "[]" },
        { "expo_push_token", "\"ExponentPushToken[abc]\"", "\"ExpoPushToken[def]\"" },
        { "is_superuser", "false", "true" },
        { "role_id", "\"3c90c3cc-0d44-4b50-8888-8dd25736052a\"", "\"0190a000-0000-7000-8000-000000000001\"" },
        { "is_enterprise", "true", "false" },
        { "namespace", "\"acme\"", "\"umbrella\"" },
        { "consented_at", "\"2024-01-15T10:30:00Z\"", "\"2024-02-15T10:30:00+01:00\"" },
        { "consent_method", "\"opt-in\"", "\"text-ref\"" },
        { "active_billing_plan_id", "\"3c90c3cc-0d44-4b50-8888-8dd25736052a\"", "\"0190a000-0000-7000-8000-000000000002\"" },
        { "stripe_customer_id", "\"cus_1\"", "\"cus_2\"" },
        { "stripe_subscription_status", "\"active\"", "\"past_due\"" },
        { "stripe_has_payment_method", "true", "false" },
        { "is_paying", "false", "true" },
        { "next_credits_refresh", "\"2024-01-15T10:30:00Z\"", "\"2025-01-15T10:30:00Z\"" },
        { "emails", "[{\"email\":\"{unique}a@example.com\"}]", "[{\"email\":\"{unique}b@example.com\"},{\"email\":\"{unique}c@example.com\"}]" },
        { "phone_numbers", "[{\"phone_number\":\"+14155552671\"}]", "[{\"phone_number\":\"+33612345678\"}]" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task absent_leaves_a_field_null_clears_it_and_a_value_sets_it(string field, string initial, string next)
    {
        var unique = "m" + Guid.NewGuid().ToString("N")[..10];
        initial = initial.Replace("{unique}", unique);
        next = next.Replace("{unique}", unique);
        var registration = JsonNode.Parse($$"""{"email": "{{HttpJson.UniqueEmail()}}", "{{field}}": {{initial}}}""")!.AsObject();
        var id = (await stack.RegisterAsync(registration))["id"]!.GetValue<Guid>();
        Normalized(field, (await stack.GetAsync(id))[field]).ShouldBe(Normalized(field, JsonNode.Parse(initial)));

        // Absent: another field changes, this one stays.
        var other = field == "company" ? "state" : "company";
        var absent = await stack.PatchAsync(id, $$"""{"{{other}}": "changed"}""");
        absent.StatusCode.ShouldBe(HttpStatusCode.OK);
        Normalized(field, (await absent.ReadObjectAsync())[field]).ShouldBe(Normalized(field, JsonNode.Parse(initial)));

        // A value: set, and only this field is in the event.
        var set = await stack.PatchAsync(id, $$"""{"{{field}}": {{next}}}""");
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        Normalized(field, (await set.ReadObjectAsync())[field]).ShouldBe(Normalized(field, JsonNode.Parse(next)));
        if (field is not ("emails" or "phone_numbers"))
            ((UserProfileUpdated)(await stack.StreamAsync(id)).Last().Data).Changes.Keys.ShouldBe([field]);

        // The same value again: nothing appended, same version.
        var version = set.Headers.ETag!.Tag;
        (await stack.PatchAsync(id, $$"""{"{{field}}": {{next}}}""")).Headers.ETag!.Tag.ShouldBe(version);

        // Null: cleared.
        var cleared = await stack.PatchAsync(id, $$"""{"{{field}}": null}""");
        cleared.StatusCode.ShouldBe(HttpStatusCode.OK);
        Normalized(field, (await cleared.ReadObjectAsync())[field]).ShouldBe(Normalized(field, null));
        Normalized(field, (await stack.GetAsync(id))[field]).ShouldBe(Normalized(field, null));
    }

    /// <summary>Sub-collections compare by their values (ids and times are the service's); a cleared one is empty.</summary>
    private static string Normalized(string field, JsonNode? node) => field switch
    {
        "emails" => string.Join(",", (node as JsonArray ?? []).Select(e => e!["email"]!.GetValue<string>())),
        "phone_numbers" => string.Join(",", (node as JsonArray ?? []).Select(e => e!["phone_number"]!.GetValue<string>())),
        _ => node?.ToJsonString() ?? "null",
    };

    [Fact]
    public async Task a_null_email_or_password_is_422_because_they_cannot_be_cleared()
    {
        var id = await stack.RegisterIdAsync();
        var response = await stack.PatchAsync(id, """{"email": null, "password": null}""");
        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([
            ("/email", "'email' cannot be cleared."), ("/password", "'password' cannot be cleared."),
        ]);
    }

    [Fact]
    public async Task put_has_the_same_partial_semantics_as_patch()
    {
        var id = await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), first_name = "Ada", last_name = "Lovelace" });
        var response = await stack.SendAsync(HttpMethod.Put, $"/api/v1/users/{id}", """{"last_name": "King"}""");
        var user = await response.ReadObjectAsync();
        user["first_name"]!.GetValue<string>().ShouldBe("Ada");
        user["last_name"]!.GetValue<string>().ShouldBe("King");
    }
}
