using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Dialects;

/// <summary>One core under four dialects: a change through any of them reads back the same through all, as one event.</summary>
[Collection(StackCollection.Name)]
public sealed class CrossDialectTests(UsersStack stack)
{
    public static TheoryData<string> Writers => ["seed-000", "seed-002", "seed-003", "seed-004", "api/v1"];

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task a_change_through_one_dialect_reads_back_identically_through_every_other_as_one_event(string writer)
    {
        var id = await stack.RegisterSettledAsync("cross", new { first_name = "Before", last_name = "Change" });
        var first = "First" + Guid.NewGuid().ToString("N")[..6];
        var last = "Last" + Guid.NewGuid().ToString("N")[..6];

        var write = await Send(writer, id, new JsonObject { ["first_name"] = first, ["last_name"] = last });
        write.StatusCode.ShouldBe(HttpStatusCode.OK, await write.Content.ReadAsStringAsync());

        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(3);
        events[2].Data.ShouldBeOfType<UserProfileUpdated>().Changes.Keys.ShouldBe(["first_name", "last_name"], ignoreOrder: true);
        events[2].Headers!["origin"].ToString().ShouldBe(writer);

        var reads = new Dictionary<string, (string First, string Last, string Email)>
        {
            ["api/v1"] = Names(await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync()),
        };
        // Every dialect is an update; an empty one changes nothing and answers with the user as it is.
        foreach (var reader in new[] { "seed-000", "seed-002", "seed-003", "seed-004" })
        {
            var read = await Send(reader, id, new JsonObject());
            read.StatusCode.ShouldBe(HttpStatusCode.OK, reader);
            reads[reader] = ReadBack(reader, await read.ReadObjectAsync());
        }

        var canonical = reads["api/v1"];
        (canonical.First, canonical.Last).ShouldBe((first, last));
        foreach (var (reader, read) in reads)
            read.ShouldBe(canonical, reader);
        (await stack.StreamAsync(id)).Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task a_taken_value_is_reported_with_every_other_failing_field_in_one_422(string writer)
    {
        var taken = HttpJson.UniqueEmail("crosstaken");
        await stack.RegisterVerifiedAsync(taken);
        var username = "cross" + Guid.NewGuid().ToString("N")[..10];
        await stack.RegisterSettledAsync("crossholder", new { username });
        var id = await stack.RegisterSettledAsync("crossboth");

        // Each dialect's own fields: one value another user holds, one that breaks its rule.
        var (body, other) = writer switch
        {
            "seed-000" => (new JsonObject { ["email"] = taken, ["country"] = "XX" }, "country"),
            "seed-002" => (new JsonObject { ["username"] = username, ["website"] = "ftp://x" }, "website"),
            "seed-003" => (new JsonObject
            {
                ["emails"] = new JsonArray(new JsonObject { ["email"] = taken }),
                ["phone_numbers"] = new JsonArray(new JsonObject { ["phone_number"] = "555" }),
            }, "phone_number"),
            _ => (new JsonObject { ["email"] = taken, ["password"] = "short" }, "password"),
        };
        var response = await Send(writer, id, body);

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        text.ShouldContain("has already been taken");
        text.ShouldContain(other);
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

    private Task<HttpResponseMessage> Send(string dialect, Guid id, JsonObject fields) => dialect switch
    {
        // A user's own key may not change the address (docs/auth.md, account recovery): an admin's key does.
        "seed-000" => stack.AnonymousClient().PutAsync(
            $"/api/v1/user/{id}?api_key={(fields.ContainsKey("email") ? stack.AdminApiKey() : stack.UserApiKeyFor(id))}",
            HttpJson.Body(fields.ToJsonString())),
        "seed-002" => stack.AnonymousClient().SendJsonAsync(HttpMethod.Patch, $"/users/{id}", fields, stack.BearerTokenFor(id)),
        "seed-003" => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/v1/auth/users/{id}/update", fields, stack.BearerTokenFor(id)),
        "seed-004" => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/users/{id}", new JsonObject { ["user"] = fields }, stack.BearerTokenFor(id)),
        _ => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/api/v1/users/{id}", fields, stack.BearerTokenFor(id)),
    };

    private static (string, string, string) ReadBack(string dialect, JsonObject json) => dialect switch
    {
        "seed-000" => Names(json["data"]!.AsObject()),
        "seed-002" => Names(json),
        "seed-003" => (json["user"]!["first_name"]!.GetValue<string>(), json["user"]!["last_name"]!.GetValue<string>(),
            json["emails"]![0]!["email"]!.GetValue<string>()),
        _ => Names(json["data"]!.AsObject()),
    };

    private static (string, string, string) Names(JsonObject user) =>
        (user["first_name"]!.GetValue<string>(), user["last_name"]!.GetValue<string>(), user["email"]!.GetValue<string>());
}
