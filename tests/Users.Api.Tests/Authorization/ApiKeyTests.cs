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
        var issued = await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/api-keys", null);
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

        // Listed by id and prefix, with its last use; never the key.
        var listed = await (await withKey.GetAsync($"/api/v1/users/{id}/api-keys")).ReadObjectAsync();
        var item = listed["items"]!.AsArray().Single()!.AsObject();
        item["id"]!.GetValue<Guid>().ShouldBe(keyId);
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

        var issued = await (await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/api-keys", null)).ReadObjectAsync();
        var key = issued["key"]!.GetValue<string>();
        (await stack.AnonymousClient().GetAsync($"/api/v1/users/{id}?api_key={key}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task only_an_admin_gives_a_key_a_role_and_an_auditor_key_reads_any_profile_but_writes_none()
    {
        var holder = await stack.RegisterSettledAsync("auditor");
        var someone = await stack.RegisterSettledAsync("someone");

        var refused = await stack.ClientFor(holder).PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { role = "admin" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/role");

        var invalid = await stack.Api.PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { role = "owner", label = "x" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var issued = await stack.Api.PostJsonAsync($"/api/v1/users/{holder}/api-keys", new { role = "auditor" });
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
        var issued = await (await stack.ClientFor(owner).PostAsync($"/api/v1/users/{owner}/api-keys", null)).ReadObjectAsync();

        // The intruder names their own profile in the path: the key is not theirs.
        var response = await stack.ClientFor(intruder).DeleteAsync($"/api/v1/users/{intruder}/api-keys/{issued["id"]}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.ClientWithApiKey(issued["key"]!.GetValue<string>()).GetAsync($"/api/v1/users/{owner}")).StatusCode
            .ShouldBe(HttpStatusCode.OK);
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
