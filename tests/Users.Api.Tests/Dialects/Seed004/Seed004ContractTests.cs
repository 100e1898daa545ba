using System.Net;
using System.Text.Json;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Dialects;

/// <summary>Seed 004: PUT /users/{id} with { "user": { … } }, built from the seed text's own examples.</summary>
[Collection(StackCollection.Name)]
public sealed class Seed004ContractTests(UsersStack stack)
{
    private static readonly string[] DataFields =
        ["id", "email", "first_name", "last_name", "roles", "feature_flags", "notifications", "status", "locale", "created_at"];

    private Task<HttpResponseMessage> Put(Guid id, object body) =>
        stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/users/{id}", body, stack.BearerTokenFor(id));

    [Fact]
    public async Task the_documented_example_updates_the_user_and_answers_success_with_the_documented_data()
    {
        var id = await stack.RegisterSettledAsync("seed004");
        var body = new
        {
            user = new
            {
                first_name = "John",
                last_name = "Doe",
                password = "newsecurepassword123",
                feature_flags = new[] { "affiliate" },
                notifications = new[] { "email_new_transaction", "push_new_transaction" },
                locale = "en",
                expo_push_token = "ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]",
            },
        };

        var response = await Put(id, body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.ReadObjectAsync();
        json.Select(kv => kv.Key).ShouldBe(["status", "message", "data"]);
        (json["status"]!.GetValue<string>(), json["message"]!.GetValue<string>()).ShouldBe(("success", "User updated successfully"));
        var data = json["data"]!.AsObject();
        data.Select(kv => kv.Key).ShouldBe(DataFields);
        data["id"]!.GetValue<Guid>().ShouldBe(id);
        (data["first_name"]!.GetValue<string>(), data["last_name"]!.GetValue<string>()).ShouldBe(("John", "Doe"));
        data["roles"]!.AsArray().Count.ShouldBe(0);
        data["feature_flags"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["affiliate"]);
        data["notifications"]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["email_new_transaction", "push_new_transaction"]);
        (data["status"]!.GetValue<string>(), data["locale"]!.GetValue<string>()).ShouldBe(("active", "en"));
        data["created_at"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        json.ToJsonString().ShouldNotContain("newsecurepassword123");

        var events = (await stack.StreamAsync(id)).Skip(2).ToList();
        events.Select(e => e.Data.GetType()).ShouldBe([typeof(UserProfileUpdated), typeof(PasswordChanged)]);
        events.ShouldAllBe(e => e.Headers!["origin"].ToString() == "seed-004");
    }

    [Fact]
    public async Task changing_the_email_marks_it_unverified_and_sends_a_verification_mail()
    {
        var id = await stack.RegisterSettledAsync("seed004mail");
        var newEmail = HttpJson.UniqueEmail("seed004new");

        var response = await Put(id, new { user = new { email = newEmail } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.ReadObjectAsync())["data"]!["email"]!.GetValue<string>().ShouldBe(newEmail);
        var read = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        read["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        (await stack.StreamAsync(id)).Last().Data.ShouldBeOfType<EmailChanged>().NewEmail.ShouldBe(newEmail);
        await stack.Mail.WaitForMailToAsync(newEmail);
    }

    [Fact]
    public async Task validation_errors_use_the_documented_shape_and_messages()
    {
        var taken = HttpJson.UniqueEmail("taken");
        await stack.RegisterVerifiedAsync(taken);
        var id = await stack.RegisterSettledAsync("seed004bad");

        var shortPassword = await Put(id, new { user = new { password = "short" } });
        shortPassword.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var json = await shortPassword.ReadObjectAsync();
        json.Select(kv => kv.Key).ShouldBe(["status", "message", "errors"]);
        (json["status"]!.GetValue<string>(), json["message"]!.GetValue<string>()).ShouldBe(("error", "Failed to update user"));
        var error = json["errors"]!.AsArray().ShouldHaveSingleItem()!;
        (error["path"]!.GetValue<string>(), error["message"]!.GetValue<string>())
            .ShouldBe(("password", "Password is too short (minimum is 8 characters)"));

        var takenEmail = await Put(id, new { user = new { email = taken.ToUpperInvariant() } });
        takenEmail.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var takenError = (await takenEmail.ReadObjectAsync())["errors"]!.AsArray().ShouldHaveSingleItem()!;
        (takenError["path"]!.GetValue<string>(), takenError["message"]!.GetValue<string>()).ShouldBe(("email", "Email has already been taken"));

        var unwrapped = await Put(id, new { first_name = "John" });
        unwrapped.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unwrapped.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["user"]);

        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task the_documented_422_example_a_taken_email_and_a_short_password_answers_both_errors()
    {
        var taken = HttpJson.UniqueEmail("seed004taken");
        await stack.RegisterVerifiedAsync(taken);
        var id = await stack.RegisterSettledAsync("seed004both");

        var response = await Put(id, new { user = new { email = taken, password = "short" } });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var json = await response.ReadObjectAsync();
        (json["status"]!.GetValue<string>(), json["message"]!.GetValue<string>()).ShouldBe(("error", "Failed to update user"));
        // The seed's own example, in its order.
        json["errors"]!.ToJsonString().ShouldBe(
            """[{"path":"email","message":"Email has already been taken"},{"path":"password","message":"Password is too short (minimum is 8 characters)"}]""");
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task an_unknown_user_is_404_with_the_documented_body()
    {
        foreach (var url in new[] { $"/users/{Guid.CreateVersion7()}", "/users/1" })
        {
            // As an admin, who may address any id: only then does "not found" say something.
            var response = await stack.Api.SendJsonAsync(HttpMethod.Put, url, new { user = new { first_name = "X" } });
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            var json = await response.ReadObjectAsync();
            json.Select(kv => kv.Key).ShouldBe(["status", "message"]);
            (json["status"]!.GetValue<string>(), json["message"]!.GetValue<string>()).ShouldBe(("error", "User not found"));
        }
    }

    [Fact]
    public async Task an_unauthenticated_or_unpermitted_caller_gets_the_documented_401()
    {
        var id = await stack.RegisterSettledAsync("seed004auth");
        var other = await stack.RegisterSettledAsync("seed004other");
        var body = new { user = new { first_name = "John" } };

        var cases = new (string Why, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("no credentials", () => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/users/{id}", body)),
            ("a forged token", () => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/users/{id}", body,
                stack.Token(id, signingKey: "another-signing-key-of-enough-length-" + Guid.NewGuid()))),
            ("an unknown API key", () => stack.ClientWithApiKey("in-unknown").SendJsonAsync(HttpMethod.Put, $"/users/{id}", body)),
            ("another user's profile", () => stack.AnonymousClient().SendJsonAsync(HttpMethod.Put, $"/users/{other}", body, stack.BearerTokenFor(id))),
        };
        foreach (var (why, send) in cases)
        {
            var response = await send();
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, why);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", why);
            response.Headers.WwwAuthenticate.ShouldNotBeEmpty(why);
            var json = await response.ReadObjectAsync();
            json.Select(kv => kv.Key).ShouldBe(["status", "message"], why);
            (json["status"]!.GetValue<string>(), json["message"]!.GetValue<string>())
                .ShouldBe(("error", "Not authenticated or insufficient permissions"), why);
        }
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
        (await stack.StreamAsync(other)).Count.ShouldBe(2);
    }
}
