using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.WalkingSkeleton;

[Collection(StackCollection.Name)]
public sealed partial class EmailVerificationChainTests(UsersStack stack)
{
    [Fact]
    public async Task changing_email_marks_it_unverified_mails_a_token_and_verifying_it_is_an_event()
    {
        await using var subscriber = await RabbitSubscriber.BindAsync(stack.RabbitMqUri, "UserRegistered", "EmailChanged", "UserProfileUpdated");
        var firstEmail = HttpJson.UniqueEmail("ada");

        // Register: UserRegistered, read model, ETag, Location.
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = firstEmail, first_name = "Ada" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        created.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var user = await created.ReadObjectAsync();
        var id = user["id"]!.GetValue<Guid>();
        created.Headers.Location!.ToString().ShouldBe($"/api/v1/users/{id}");
        user["email_verified"]!.GetValue<bool>().ShouldBeFalse();

        // Registration mails the first address; the worker records the request on the stream.
        await stack.Mail.WaitForMailToAsync(firstEmail);
        await stack.WaitForVersionAsync(id, 2);

        // Change names and email: UserProfileUpdated with only what changed, then EmailChanged.
        var newEmail = HttpJson.UniqueEmail("lovelace");
        var patched = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Ada", last_name = "Lovelace", email = newEmail });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterPatch = await patched.ReadObjectAsync();
        afterPatch["email"]!.GetValue<string>().ShouldBe(newEmail);
        afterPatch["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        afterPatch["last_name"]!.GetValue<string>().ShouldBe("Lovelace");
        patched.Headers.ETag!.Tag.ShouldBe("\"4\"");

        var events = await stack.StreamAsync(id);
        events.Select(e => e.EventType).ShouldBe([typeof(UserRegistered), typeof(EmailVerificationRequested), typeof(UserProfileUpdated), typeof(EmailChanged)]);
        events.Select(e => e.Version).ShouldBe([1L, 2, 3, 4]);
        var update = (UserProfileUpdated)events[2].Data;
        update.Changes.Keys.ShouldBe(["last_name"]);
        update.Changes["last_name"].To!.GetValue<string>().ShouldBe("Lovelace");
        var changed = (EmailChanged)events[3].Data;
        (changed.OldEmail, changed.NewEmail).ShouldBe((firstEmail, newEmail));

        // The integration event went out through the outbox to MassTransit's exchange, in its envelope.
        var published = await Eventually.Until(() => Task.FromResult(subscriber.For(id)), r => r.Any(m => m.Type == "EmailChanged"),
            what: "EmailChanged on RabbitMQ");
        var emailChanged = published.First(m => m.Type == "EmailChanged").Message;
        emailChanged["new_email"]!.GetValue<string>().ShouldBe(newEmail);
        emailChanged["old_email"]!.GetValue<string>().ShouldBe(firstEmail);
        emailChanged["version"]!.GetValue<long>().ShouldBe(4);
        emailChanged["event_id"]!.GetValue<Guid>().ShouldBe(events[3].Id);

        // The worker mails the new address a token and records EmailVerificationRequested.
        var mail = await stack.Mail.WaitForMailToAsync(newEmail);
        mail.TextBody!.ShouldContain("http://users.test/verify-email.html?user_id=" + id);
        mail.HtmlBody.ShouldNotBeNullOrEmpty();
        var token = MailTokens.Verification(mail);
        token.Length.ShouldBeGreaterThanOrEqualTo(40);
        await stack.WaitForVersionAsync(id, 5);

        // A no-op appends nothing and keeps the version (asked once the worker's follow-up has landed).
        var noop = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { last_name = "Lovelace", email = newEmail });
        noop.StatusCode.ShouldBe(HttpStatusCode.OK);
        noop.Headers.ETag!.Tag.ShouldBe("\"5\"");
        (await stack.StreamAsync(id)).Count.ShouldBe(5);

        // A wrong token: 422, nothing appended.
        var wrong = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = "not-the-token" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await wrong.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/token");
        (await stack.StreamAsync(id)).Count.ShouldBe(5);

        // The right one: EmailVerified, read model verified.
        var verified = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await verified.ReadObjectAsync())["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        var final = await stack.StreamAsync(id);
        final.Last().Data.ShouldBeOfType<EmailVerified>().Email.ShouldBe(newEmail);
        final.Last().Version.ShouldBe(6);

        var read = await stack.Api.GetAsync($"/api/v1/users/{id}");
        read.Headers.ETag!.Tag.ShouldBe("\"6\"");
        (await read.ReadObjectAsync())["email_verified"]!.GetValue<bool>().ShouldBeTrue();

        // Tokens are single-use.
        var again = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token });
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await stack.StreamAsync(id)).Count.ShouldBe(6);
    }

    [Fact]
    public async Task an_expired_token_is_refused_and_appends_nothing()
    {
        var email = HttpJson.UniqueEmail("late");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var mail = await stack.Mail.WaitForMailToAsync(email);
        var token = MailTokens.Verification(mail);
        await stack.WaitForVersionAsync(id, 2);

        // Age the stored token past its expiry, as time would.
        await using (var session = stack.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<Projections.EmailVerificationToken>(ServiceDefaults.SecretTokens.Hash(token));
            stored.ShouldNotBeNull();
            stored.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            session.Store(stored);
            await session.SaveChangesAsync();
        }

        var response = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token });
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.ReadObjectAsync())["errors"]![0]!["message"]!.GetValue<string>().ShouldContain("expired");
        (await stack.StreamAsync(id)).Count.ShouldBe(2);
    }

}
