using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing.Provenance;

/// <summary>
/// Every event says where it came from: the client's address (the forwarded one only from the known proxy), its
/// user agent (at most 256 characters), the credential by kind and id, the route and the dialect; shown in the
/// user's history and in the global feed.
/// </summary>
[Collection(ProvenanceStackCollection.Name)]
public sealed class ProvenanceTests(ProvenanceStack stack)
{
    [Fact]
    public async Task the_forwarded_address_is_recorded_only_from_the_known_proxy_and_the_user_agent_is_bounded()
    {
        var id = await stack.RegisterSettledAsync("prov-proxy");
        var longAgent = "LongAgent/1.0 " + new string('x', 400);

        (await Send(stack.Api, HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Ada" },
            "ProvenanceTest/1.0 (via proxy)", peer: ProvenanceStack.Proxy, forwardedFor: "203.0.113.41")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Send(stack.Api, HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Augusta" },
            longAgent, peer: "198.51.100.9", forwardedFor: "203.0.113.42")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await HistoryAsync(id);
        var viaProxy = Provenance(history, 3);
        viaProxy["client_ip"]!.GetValue<string>().ShouldBe("203.0.113.41");
        viaProxy["user_agent"]!.GetValue<string>().ShouldBe("ProvenanceTest/1.0 (via proxy)");
        viaProxy["credential_kind"]!.GetValue<string>().ShouldBe("bootstrap_key");
        viaProxy["route"]!.GetValue<string>().ShouldBe("PATCH /api/v1/users/{id}");
        viaProxy["dialect"]!.GetValue<string>().ShouldBe("api/v1");

        // A sender that is not the known proxy does not choose the address it is recorded under.
        var direct = Provenance(history, 4);
        direct["client_ip"]!.GetValue<string>().ShouldBe("198.51.100.9");
        direct["user_agent"]!.GetValue<string>().ShouldBe(longAgent[..256]);
    }

    [Fact]
    public async Task each_credential_is_named_by_kind_and_id_and_the_workers_write_carries_the_requests_provenance()
    {
        // Anonymous sign-up: no credential; the worker's EmailVerificationRequested carries the sign-up's provenance.
        var signUp = await Send(stack.AnonymousClient(), HttpMethod.Post, "/api/v1/users", new { email = HttpJson.UniqueEmail("prov-anon") },
            "SignUpAgent/2.0");
        signUp.StatusCode.ShouldBe(HttpStatusCode.Created, await signUp.Content.ReadAsStringAsync());
        var id = (await signUp.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await stack.WaitForVersionAsync(id, 2);

        // The user's own bearer token (with a jti), a token without one, an API key issued to the user, a seed dialect.
        var token = stack.Token(id);
        (await Send(stack.ClientWithToken(token), HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Bea" }, "BearerAgent"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var withoutJti = TokenWithoutJti(id);
        (await Send(stack.ClientWithToken(withoutJti), HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Bee" }, "BearerAgent"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Send(stack.ClientWithToken(withoutJti), HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Bey" }, "BearerAgent"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var issued = await (await stack.Api.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "provenance" })).ReadObjectAsync();
        (await Send(stack.ClientWithApiKey(issued["key"]!.GetValue<string>()), HttpMethod.Patch, $"/api/v1/users/{id}",
            new { first_name = "Key" }, "KeyAgent")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Send(stack.ClientWithToken(token), HttpMethod.Put, $"/users/{id}", new { user = new { first_name = "Seed" } }, "DialectAgent"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await HistoryAsync(id);
        history.Select(e => e["type"]!.GetValue<string>()).ShouldBe(["user_registered", "email_verification_requested",
            "user_profile_updated", "user_profile_updated", "user_profile_updated", "user_profile_updated", "user_profile_updated"]);

        var anonymous = Provenance(history, 1);
        anonymous["credential_kind"]!.GetValue<string>().ShouldBe("anonymous");
        anonymous["credential_id"].ShouldBeNull();
        anonymous["client_ip"]!.GetValue<string>().ShouldBe("127.0.0.1");
        anonymous["user_agent"]!.GetValue<string>().ShouldBe("SignUpAgent/2.0");
        anonymous["route"]!.GetValue<string>().ShouldBe("POST /api/v1/users");
        anonymous["dialect"]!.GetValue<string>().ShouldBe("api/v1");
        var workers = history.Single(e => e["version"]!.GetValue<long>() == 2);
        workers["origin"]!.GetValue<string>().ShouldBe("notifications");
        Provenance(history, 2).ToJsonString().ShouldBe(anonymous.ToJsonString());

        var bearer = Provenance(history, 3);
        bearer["credential_kind"]!.GetValue<string>().ShouldBe("bearer");
        bearer["credential_id"]!.GetValue<string>().ShouldBe(new JsonWebToken(token).Id);
        bearer["user_agent"]!.GetValue<string>().ShouldBe("BearerAgent");

        // No jti: an identifier of the token that is stable across its uses and does not reveal it.
        var stable = Provenance(history, 4)["credential_id"]!.GetValue<string>();
        stable.ShouldNotBeNullOrWhiteSpace();
        Provenance(history, 5)["credential_id"]!.GetValue<string>().ShouldBe(stable);
        withoutJti.ShouldNotContain(stable);
        Provenance(history, 4)["credential_kind"]!.GetValue<string>().ShouldBe("bearer");

        var apiKey = Provenance(history, 6);
        apiKey["credential_kind"]!.GetValue<string>().ShouldBe("api_key");
        apiKey["credential_id"]!.GetValue<string>().ShouldBe(issued["id"]!.GetValue<string>());

        var dialect = Provenance(history, 7);
        dialect["dialect"]!.GetValue<string>().ShouldBe("seed-004");
        dialect["route"]!.GetValue<string>().ShouldBe("PUT /users/{id}");
        dialect["credential_kind"]!.GetValue<string>().ShouldBe("bearer");
        dialect["user_agent"]!.GetValue<string>().ShouldBe("DialectAgent");
    }

    [Fact]
    public async Task the_global_feed_shows_each_events_provenance()
    {
        var id = await stack.RegisterSettledAsync("prov-feed");
        (await Send(stack.Api, HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Feed" }, "FeedAgent/3.0",
            peer: ProvenanceStack.Proxy, forwardedFor: "203.0.113.77")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var first = (await HistoryAsync(id))[0]["sequence"]!.GetValue<long>();

        var mine = await Eventually.Until(async () =>
            {
                var page = await stack.Api.GetAsync($"/api/v1/events?after={first - 1}&limit=1000");
                return (await page.ReadObjectAsync())["events"]!.AsArray().Select(e => e!.AsObject())
                    .Where(e => e["user_id"]!.GetValue<Guid>() == id).ToList();
            }, events => events.Count >= 3, what: "the user's three events in the feed");

        var update = mine.Single(e => e["version"]!.GetValue<long>() == 3)["provenance"]!;
        update["client_ip"]!.GetValue<string>().ShouldBe("203.0.113.77");
        update["user_agent"]!.GetValue<string>().ShouldBe("FeedAgent/3.0");
        update["credential_kind"]!.GetValue<string>().ShouldBe("bootstrap_key");
        update["route"]!.GetValue<string>().ShouldBe("PATCH /api/v1/users/{id}");
    }

    [Fact]
    public async Task the_openapi_document_describes_the_history_entrys_provenance()
    {
        var document = await (await stack.Api.GetAsync("/openapi/v1.json")).ReadObjectAsync();
        var page = document["paths"]!["/api/v1/users/{id}/history"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        var provenance = page["properties"]!["events"]!["items"]!["properties"]!["provenance"]!;
        provenance["properties"]!.AsObject().Select(p => p.Key).ShouldBe(
            ["client_ip", "user_agent", "credential_kind", "credential_id", "route", "dialect"], ignoreOrder: true);
        provenance["properties"]!["credential_kind"]!["type"]!.GetValue<string>().ShouldBe("string");
    }

    internal static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object json,
        string userAgent, string? peer = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = HttpJson.Body(json) };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent).ShouldBeTrue();
        if (peer is not null)
            request.Headers.Add(ProvenanceStack.PeerHeader, peer);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    private async Task<List<JsonObject>> HistoryAsync(Guid id)
    {
        var response = await stack.Api.GetAsync($"/api/v1/users/{id}/history");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
    }

    private static JsonObject Provenance(List<JsonObject> history, long version) =>
        history.Single(e => e["version"]!.GetValue<long>() == version)["provenance"].ShouldBeOfType<JsonObject>();

    /// <summary>A token as an identity provider may issue it: signed by the service's key, no <c>jti</c>.</summary>
    private string TokenWithoutJti(Guid userId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "users",
        Audience = "users",
        Claims = new Dictionary<string, object> { ["sub"] = userId.ToString() },
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(stack.SigningKey)),
            SecurityAlgorithms.HmacSha256),
    });
}
