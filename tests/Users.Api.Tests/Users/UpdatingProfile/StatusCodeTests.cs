using System.Net;
using System.Text;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Profile;

[Collection(ProfileCollection.Name)]
public sealed class StatusCodeTests(ProfileStack stack)
{
    [Fact]
    public async Task registering_answers_201_with_location_etag_and_the_user()
    {
        var email = HttpJson.UniqueEmail("ada");
        var response = await stack.Api.PostJsonAsync("/api/v1/users", new
        {
            email,
            first_name = "Ada",
            country = "GB",
            emails = new[] { new { email = HttpJson.UniqueEmail("work") } },
            phone_numbers = new[] { new { phone_number = "+14155552671" } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var user = await response.ReadObjectAsync();
        var id = user["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/users/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
        user["version"]!.GetValue<long>().ShouldBe(3);
        user["is_active"]!.GetValue<bool>().ShouldBeTrue();
        var secondary = user["emails"]!.AsArray().ShouldHaveSingleItem()!;
        secondary["id"]!.GetValue<Guid>().ShouldNotBe(Guid.Empty);
        secondary["verified"]!.GetValue<bool>().ShouldBeFalse();
        secondary["created_at"].ShouldNotBeNull();
        secondary["updated_at"].ShouldNotBeNull();
        user["phone_numbers"]!.AsArray().ShouldHaveSingleItem()!["phone_number"]!.GetValue<string>().ShouldBe("+14155552671");
    }

    [Fact]
    public async Task a_successful_update_answers_200_with_the_user_and_its_etag()
    {
        var id = await stack.RegisterIdAsync();
        var response = await stack.PatchAsync(id, """{"company": "Analytical Engines"}""");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await response.ReadObjectAsync())["company"]!.GetValue<string>().ShouldBe("Analytical Engines");

        var read = await stack.Api.GetAsync($"/api/v1/users/{id}");
        read.Headers.ETag!.Tag.ShouldBe("\"2\"");
    }

    [Fact]
    public async Task malformed_json_is_400_with_its_position()
    {
        var id = await stack.RegisterIdAsync();
        var problem = await (await stack.PatchAsync(id, "{\"first_name\": \"Ada\",\n \"last_name\": }")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["detail"]!.GetValue<string>().ShouldContain("line 2");
        (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task an_unknown_user_is_404()
    {
        var id = Guid.CreateVersion7();
        var problem = await (await stack.PatchAsync(id, """{"first_name": "Ada"}""")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem["detail"]!.GetValue<string>().ShouldContain(id.ToString());
        await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stack.StreamAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_stale_if_match_is_412_with_the_current_etag_and_a_fresh_one_applies()
    {
        var id = await stack.RegisterIdAsync();
        (await stack.PatchAsync(id, """{"company": "A"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var stale = await stack.PatchAsync(id, """{"company": "B"}""", ifMatch: "\"1\"");
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        stale.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await stack.GetAsync(id))["company"]!.GetValue<string>().ShouldBe("A");

        var fresh = await stack.PatchAsync(id, """{"company": "B"}""", ifMatch: "\"2\"");
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        fresh.Headers.ETag!.Tag.ShouldBe("\"3\"");
    }

    [Fact]
    public async Task a_body_over_64_kib_is_413()
    {
        var id = await stack.RegisterIdAsync();
        var body = $$"""{"company": "{{new string('x', 70_000)}}"}""";
        await (await stack.PatchAsync(id, body)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_415()
    {
        var id = await stack.RegisterIdAsync();
        var response = await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", "first_name=Ada", "application/x-www-form-urlencoded");
        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task merge_patch_json_is_accepted_like_json()
    {
        var id = await stack.RegisterIdAsync();
        var response = await stack.SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", """{"state": "CA"}""", "application/merge-patch+json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadObjectAsync())["state"]!.GetValue<string>().ShouldBe("CA");
    }

    [Fact]
    public async Task invalid_fields_are_422_listing_every_failure_and_append_nothing()
    {
        var id = await stack.RegisterIdAsync();
        var response = await stack.SendAsync(HttpMethod.Put, $"/api/v1/users/{id}", """
            {"first_name": "Ada", "email": "not-an-email", "country": "XX", "password": "short", "website": "ftp://x",
             "phone_numbers": [{"phone_number": "555"}], "id": "nope", "is_admin": true}
            """);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.Errors().Select(e => e.Path).Order().ShouldBe(
            ["/country", "/email", "/id", "/is_admin", "/password", "/phone_numbers/0/phone_number", "/website"]);
        problem.Errors().ShouldContain(("/password", "Password is too short (minimum is 8 characters)."));
        (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_username_held_by_another_user_is_422_and_a_released_one_is_free_again()
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..12];
        var first = await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), username });
        var second = await stack.RegisterIdAsync();

        var taken = await stack.PatchAsync(second, $$"""{"username": "{{username}}"}""");
        (await taken.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/username", "Username has already been taken")]);

        (await stack.PatchAsync(first, """{"username": null}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.PatchAsync(second, $$"""{"username": "{{username}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var session = stack.Store.QuerySession();
        (await session.LoadAsync<UsernameOwnership>(username))!.UserId.ShouldBe(second);
    }

    [Fact]
    public async Task a_user_can_swap_primary_and_secondary_addresses_in_one_update()
    {
        var primary = HttpJson.UniqueEmail("primary");
        var secondary = HttpJson.UniqueEmail("secondary");
        var id = await stack.RegisterVerifiedAsync(primary, new { emails = new[] { new { email = secondary } } });

        var response = await stack.PatchAsync(id, $$"""{"email": "{{secondary}}", "emails": [{"email": "{{primary}}"}]}""");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var user = await response.ReadObjectAsync();
        user["email"]!.GetValue<string>().ShouldBe(secondary);
        user["emails"]!.AsArray().Select(e => e!["email"]!.GetValue<string>()).ShouldBe([primary]);

        // The verified primary is released by the change; an unverified or secondary address claims nothing until verified.
        await using (var session = stack.Store.QuerySession())
            (await session.LoadManyAsync<EmailOwnership>(primary, secondary)).ShouldBeEmpty();
        (await stack.VerifyEmailAsync(id, secondary)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using (var session = stack.Store.QuerySession())
            (await session.LoadManyAsync<EmailOwnership>(primary, secondary)).Select(c => (c.Id, c.UserId)).ShouldBe([(secondary, id)]);
    }

    [Fact]
    public async Task a_password_is_stored_only_as_a_hash_and_never_returned()
    {
        const string password = "correct horse battery staple";
        var id = await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), password = "first password" });
        var response = await stack.PatchAsync(id, $$"""{"password": "{{password}}"}""");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        text.ShouldNotContain("password");

        var changed = (await stack.StreamAsync(id)).Last().Data.ShouldBeOfType<PasswordChanged>();
        changed.PasswordHash.ShouldNotContain(password);
        changed.PasswordHash.Length.ShouldBeGreaterThan(40);

        // Same password again: verified against the hash, so nothing is appended.
        (await stack.PatchAsync(id, $$"""{"password": "{{password}}"}""")).Headers.ETag!.Tag.ShouldBe("\"2\"");

        await using var session = stack.Store.QuerySession();
        var raw = await session.AdvancedSql.QueryAsync<string>(
            $"select data::text from {stack.Schema}.mt_events where stream_id = ?", CancellationToken.None, id);
        raw.ShouldNotBeEmpty();
        raw.ShouldAllBe(json => !json.Contains(password) && !json.Contains("first password"));
    }

    [Fact]
    public async Task is_active_false_deactivates_and_true_reactivates_with_their_own_events()
    {
        var id = await stack.RegisterIdAsync();
        var off = await stack.PatchAsync(id, """{"is_active": false}""");
        (await off.ReadObjectAsync())["is_active"]!.GetValue<bool>().ShouldBeFalse();
        var on = await stack.PatchAsync(id, """{"is_active": true}""");
        (await on.ReadObjectAsync())["is_active"]!.GetValue<bool>().ShouldBeTrue();
        (await stack.StreamAsync(id)).Select(e => e.EventType).ShouldBe([typeof(UserRegistered), typeof(UserDeactivated), typeof(UserReactivated)]);

        var cleared = await stack.PatchAsync(id, """{"is_active": null}""");
        (await cleared.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([("/is_active", "'is_active' cannot be cleared.")]);
    }

    [Fact]
    public async Task an_if_match_that_is_not_a_version_is_400()
    {
        var id = await stack.RegisterIdAsync();
        await (await stack.PatchAsync(id, """{"company": "x"}""", ifMatch: "\"abc\"")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task invalid_utf8_is_400()
    {
        var id = await stack.RegisterIdAsync();
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}")
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"company\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]),
        };
        request.Content.Headers.ContentType = new("application/json");
        await (await stack.Api.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
