using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Dialects;

/// <summary>Seeds 000/001: PUT /api/v1/user/{user_id}?api_key=in-…, built from the seed text's own example.</summary>
[Collection(StackCollection.Name)]
public sealed class Seed000ContractTests(UsersStack stack)
{
    // Every field of the documented response's data, in the documented order.
    private static readonly string[] DataFields =
    [
        "first_name", "last_name", "email", "is_active", "is_superuser", "birthdate", "is_enterprise", "role_id", "phone",
        "state", "country", "address", "active_billing_plan_id", "next_billing_plan_id", "stripe_customer_id",
        "stripe_subscription_id", "stripe_subscription_status", "stripe_has_payment_method", "is_trial", "used_trial",
        "is_paying", "stripe_last_payment_date", "billing_updated_at", "last_credits_refresh", "next_credits_refresh",
        "id", "follower_count", "following_count",
    ];

    private Task<HttpResponseMessage> Put(Guid id, object body, string? apiKey = null) =>
        stack.AnonymousClient().PutAsync($"/api/v1/user/{id}?api_key={apiKey ?? stack.UserApiKeyFor(id)}", HttpJson.Body(body));

    [Fact]
    public async Task every_documented_field_is_accepted_and_returned_with_its_documented_type()
    {
        var id = await stack.RegisterSettledAsync("seed000");
        var email = HttpJson.UniqueEmail("jsmith");
        // The seed's example values, with real ones where the example shows "<string>".
        var body = new Dictionary<string, object?>
        {
            ["first_name"] = "John",
            ["last_name"] = "Smith",
            ["email"] = email,
            ["is_active"] = true,
            ["is_superuser"] = false,
            ["birthdate"] = "2023-11-07T05:31:56Z",
            ["is_enterprise"] = true,
            ["role_id"] = "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            ["phone"] = "+14155552671",
            ["state"] = "CA",
            ["country"] = "US",
            ["address"] = "1 Infinite Loop",
            ["active_billing_plan_id"] = "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            ["next_billing_plan_id"] = "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            ["stripe_customer_id"] = "cus_123",
            ["stripe_subscription_id"] = "sub_123",
            ["stripe_subscription_status"] = "active",
            ["stripe_has_payment_method"] = true,
            ["is_trial"] = true,
            ["used_trial"] = true,
            ["is_paying"] = true,
            ["stripe_last_payment_date"] = "2023-11-07T05:31:56Z",
            ["billing_updated_at"] = "2023-11-07T05:31:56Z",
            ["last_credits_refresh"] = "2023-11-07T05:31:56Z",
            ["next_credits_refresh"] = "2023-11-07T05:31:56Z",
        };

        // Admin and billing fields are admin-only, so this goes with an admin's key.
        var response = await Put(id, body, stack.AdminApiKey());

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.ReadObjectAsync();
        json.Select(kv => kv.Key).ShouldBe(["message", "meta", "data"]);
        json["message"]!.GetValue<string>().ShouldBe("Data updated successfully");
        json["meta"].ShouldBeOfType<JsonObject>().Count.ShouldBe(0);
        var data = json["data"].ShouldBeOfType<JsonObject>();
        data.Select(kv => kv.Key).ShouldBe(DataFields);

        foreach (var (name, sent) in body)
        {
            var value = data[name]!;
            switch (sent)
            {
                case bool b:
                    value.GetValueKind().ShouldBe(b ? JsonValueKind.True : JsonValueKind.False, name);
                    break;
                case string s when s.EndsWith('Z'):
                    DateTimeOffset.Parse(value.GetValue<string>()).ShouldBe(DateTimeOffset.Parse(s), name);
                    break;
                default:
                    value.GetValue<string>().ShouldBe((string)sent!, name);
                    break;
            }
        }
        data["id"]!.GetValue<Guid>().ShouldBe(id);
        data["follower_count"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        data["following_count"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task null_means_not_provided_and_leaves_the_value_alone()
    {
        var id = await stack.RegisterSettledAsync("seed000null", new { first_name = "Ada" });

        var response = await Put(id, new { first_name = (string?)null, last_name = "Lovelace", country = (string?)null });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var data = (await response.ReadObjectAsync())["data"]!;
        data["first_name"]!.GetValue<string>().ShouldBe("Ada");
        data["last_name"]!.GetValue<string>().ShouldBe("Lovelace");
        data["country"].ShouldBeNull();
        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(3);
        events[2].Data.ShouldBeOfType<UserProfileUpdated>().Changes.Keys.ShouldBe(["last_name"]);
        events[2].Headers!["origin"].ToString().ShouldBe("seed-000");
    }

    [Fact]
    public async Task an_undocumented_field_is_refused_by_name_and_an_unknown_user_is_404()
    {
        var id = await stack.RegisterSettledAsync("seed000bad");

        var undocumented = await Put(id, new { username = "ada", first_name = "Ada" });
        var error = await undocumented.ShouldBeInFamilyAsync("seed-000", HttpStatusCode.UnprocessableEntity);
        error["meta"]!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["/username"]);

        (await Put(Guid.CreateVersion7(), new { first_name = "Nobody" }, stack.AdminApiKey())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.AnonymousClient().PutAsync($"/api/v1/user/{id}?api_key={stack.UserApiKeyFor(id)}", HttpJson.Body("{\"first_name\":")))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }
}
