using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Authorization;

[Collection(StackCollection.Name)]
public sealed class ApiKeyTests(UsersStack stack)
{
    [Fact]
    public async Task a_key_is_shown_once_works_until_revoked_and_is_stored_and_logged_only_as_a_hash()
    {
        var id = await stack.RegisterSettledAsync("keyholder");
        var issued = await stack.ClientFor(id).PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "ci" });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        issued.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await issued.ReadObjectAsync();
        var key = body["key"]!.GetValue<string>();
        var keyId = body["id"]!.GetValue<Guid>();
        key.ShouldStartWith("in-");
        // 32 random bytes in base64url: 256 bits.
        key.Length.ShouldBe(3 + 43);
        body["prefix"]!.GetValue<string>().ShouldBe(key[..8]);
        issued.Headers.Location!.ToString().ShouldBe($"/api/v1/users/{id}/api-keys/{keyId}");

        // The key authenticates as its user, and the user's change is recorded as the key's.
        var withKey = stack.ClientWithApiKey(key);
        (await withKey.GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withKey.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Keyed" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.StreamAsync(id)).Last().UserName.ShouldBe($"api-key:{keyId}");
        (await withKey.GetAsync($"/api/v1/users/{Guid.CreateVersion7()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Listed by id, name and prefix, with its last use; never the key.
        var listed = await (await withKey.GetAsync($"/api/v1/users/{id}/api-keys")).ReadObjectAsync();
        var item = listed["items"]!.AsArray().Single()!.AsObject();
        item["id"]!.GetValue<Guid>().ShouldBe(keyId);
        item["name"]!.GetValue<string>().ShouldBe("ci");
        item.Select(kv => kv.Key).Order().ShouldBe(
            ["created_at", "created_by", "expires_at", "id", "last_used_at", "name", "prefix", "revoked_at", "role"]);
        item["last_used_at"].ShouldNotBeNull();
        item.ContainsKey("key").ShouldBeFalse();
        listed.ToJsonString().ShouldNotContain(key);

        // Nowhere in the database, and in no log line, is the key in clear; the document holds its SHA-256.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var secret = key[3..];
        var rows = await EveryRowAsTextAsync();
        rows.ShouldNotContain(row => row.Contains(secret));
        rows.ShouldContain(row => row.Contains(hash));
        stack.ApiLogs.Lines.ShouldNotBeEmpty();
        stack.ApiLogs.Lines.ShouldNotContain(line => line.Contains(secret));

        // Revoked: refused at once, with a 401 that says why.
        (await stack.ClientFor(id).DeleteAsync($"/api/v1/users/{id}/api-keys/{keyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var refused = await withKey.GetAsync($"/api/v1/users/{id}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("ApiKey");
        (await refused.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("revoked");
        var after = await (await stack.ClientFor(id).GetAsync($"/api/v1/users/{id}/api-keys")).ReadObjectAsync();
        after["items"]![0]!["revoked_at"].ShouldNotBeNull();
    }

    [Fact]
    public async Task a_key_with_an_unknown_value_is_refused_and_a_query_key_is_ignored_where_the_route_does_not_accept_it()
    {
        var id = await stack.RegisterSettledAsync("guess");
        (await stack.ClientWithApiKey("in-" + new string('A', 43)).GetAsync($"/api/v1/users/{id}")).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
        (await stack.ClientWithApiKey("not-even-shaped-like-a-key").GetAsync($"/api/v1/users/{id}")).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);

        var issued = await (await stack.ClientFor(id).PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "guess" })).ReadObjectAsync();
        var key = issued["key"]!.GetValue<string>();
        (await stack.AnonymousClient().GetAsync($"/api/v1/users/{id}?api_key={key}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task only_an_admin_gives_a_key_a_role_and_an_auditor_key_reads_any_profile_but_writes_none()
    {
        var holder = await stack.RegisterSettledAsync("auditor");
        var someone = await stack.RegisterSettledAsync("someone");

        var refused = await stack.ClientFor(holder).PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { name = "root", role = "admin" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/role");

        var invalid = await stack.Api.PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { role = "owner", label = "x" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var issued = await stack.Api.PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { name = "audit", role = "auditor" });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        var auditor = stack.ClientWithApiKey((await issued.ReadObjectAsync())["key"]!.GetValue<string>());
        (await auditor.GetAsync($"/api/v1/users/{someone}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.PatchJsonAsync($"/api/v1/users/{someone}", new { first_name = "Eve" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.PatchJsonAsync($"/api/v1/users/{holder}", new { first_name = "Eve" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stack.StreamAsync(someone)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task revoking_a_key_of_another_user_is_not_found()
    {
        var owner = await stack.RegisterSettledAsync("owner");
        var intruder = await stack.RegisterSettledAsync("intruder");
        var issued = await (await stack.ClientFor(owner).PostJsonAsync($"/api/v1/users/{owner}/api-keys", new { name = "owner" })).ReadObjectAsync();

        // The intruder names their own profile in the path: the key is not theirs.
        var response = await stack.ClientFor(intruder).DeleteAsync($"/api/v1/users/{intruder}/api-keys/{issued["id"]}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.ClientWithApiKey(issued["key"]!.GetValue<string>()).GetAsync($"/api/v1/users/{owner}")).StatusCode
            .ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_key_cannot_issue_or_revoke_keys_only_an_interactive_token_or_an_admin_can()
    {
        var id = await stack.RegisterSettledAsync("minter");
        var issued = await (await stack.ClientFor(id).PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "first" })).ReadObjectAsync();
        var withKey = stack.ClientWithApiKey(issued["key"]!.GetValue<string>());

        var minted = await withKey.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "second" });
        minted.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        minted.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await withKey.DeleteAsync($"/api/v1/users/{id}/api-keys/{issued["id"]}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await withKey.GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // An admin's key may (the bootstrap key here).
        (await stack.Api.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "by admin" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var listed = await (await stack.ClientFor(id).GetAsync($"/api/v1/users/{id}/api-keys")).ReadObjectAsync();
        listed["items"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()).ShouldBe(["first", "by admin"]);
    }

    [Fact]
    public async Task a_key_needs_a_name_may_carry_a_future_expiry_and_is_refused_once_expired()
    {
        var id = await stack.RegisterSettledAsync("expiring");
        var user = stack.ClientFor(id);

        var nameless = await user.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { expires_at = DateTimeOffset.UtcNow.AddDays(1) });
        nameless.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await nameless.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/name");
        (await user.PostAsync($"/api/v1/users/{id}/api-keys", null)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var bad = await user.PostJsonAsync($"/api/v1/users/{id}/api-keys",
            new { name = new string('n', 101), expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) });
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bad.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).Order().ShouldBe(["/expires_at", "/name"]);

        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var issued = await user.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "short-lived", expires_at = expiresAt });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await issued.ReadObjectAsync();
        body["name"]!.GetValue<string>().ShouldBe("short-lived");
        body["expires_at"]!.GetValue<DateTimeOffset>().ShouldBe(expiresAt, TimeSpan.FromMilliseconds(1));
        var withKey = stack.ClientWithApiKey(body["key"]!.GetValue<string>());
        (await withKey.GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        var expired = await withKey.GetAsync($"/api/v1/users/{id}");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await expired.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("expired");
    }

    [Fact]
    public async Task a_user_holds_at_most_ten_active_keys()
    {
        var id = await stack.RegisterSettledAsync("collector");
        var user = stack.ClientFor(id);
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var issued = await user.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = $"key {i}" });
            issued.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add((await issued.ReadObjectAsync())["id"]!.GetValue<string>());
        }

        var over = await user.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "one too many" });
        over.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await over.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("10");

        // A revoked key no longer counts.
        (await user.DeleteAsync($"/api/v1/users/{id}/api-keys/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await user.PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name = "replacement" })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private async Task<List<string>> EveryRowAsTextAsync()
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("schema", stack.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        tables.ShouldContain("mt_doc_apikey");

        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select t::text from \"{stack.Schema}\".\"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
