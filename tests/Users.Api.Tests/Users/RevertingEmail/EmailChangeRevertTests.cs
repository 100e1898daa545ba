using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Notifications;

[Collection(StackCollection.Name)]
public sealed class EmailChangeRevertTests(UsersStack stack)
{
    [Fact]
    public async Task the_old_address_can_undo_a_change_of_email_once_and_gets_back_a_verified_address()
    {
        var oldEmail = HttpJson.UniqueEmail("owner");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = oldEmail });
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        // Only an address verified when the change left it can be restored.
        var verification = await stack.Mail.WaitForMailToAsync(oldEmail);
        (await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = MailTokens.Verification(verification) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var takeover = HttpJson.UniqueEmail("intruder");
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = takeover })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await stack.Mail.WaitForMailToAsync(oldEmail, 2);
        notice.Subject.ShouldBe("The email address of your account was changed");
        notice.TextBody!.ShouldContain($"http://users.test/revert-email.html?user_id={id}&token=");
        notice.HtmlBody.ShouldNotBeNullOrEmpty();
        var token = MailTokens.Revert(notice);
        token.Length.ShouldBeGreaterThanOrEqualTo(40);

        // Only the hash is stored (committed right after the mail leaves: the worker holds the user's lock while sending).
        var stored = await Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return await session.LoadAsync<Projections.EmailRevertToken>(ServiceDefaults.SecretTokens.Hash(token));
        }, t => t is not null, what: "the stored revert token");
        stored!.RestoredEmail.ShouldBe(oldEmail);
        await using (var session = stack.Store.QuerySession())
            (await session.Query<Projections.EmailRevertToken>().AnyAsync(t => t.Id == token)).ShouldBeFalse();

        var wrong = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = "not-the-token" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var reverted = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token });
        reverted.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The token holder learns the outcome, not the profile.
        (await reverted.ReadObjectAsync()).ToJsonString().ShouldBe("""{"status":"reverted","email_verified":true}""");
        var user = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        user["email"]!.GetValue<string>().ShouldBe(oldEmail);
        user["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        await using (var session = stack.Store.QuerySession())
        {
            var last = (await session.Events.FetchStreamAsync(id)).Last().Data.ShouldBeOfType<EmailChangeReverted>();
            (last.RevertedEmail, last.RestoredEmail).ShouldBe((takeover, oldEmail));
            last.RecoveredAt.ShouldNotBeNull();
        }

        // Single use; and a verified address needs no further verification mail.
        var again = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token });
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await again.ReadObjectAsync())["errors"]![0]!["message"]!.GetValue<string>().ShouldContain("already been used");
        (await stack.Api.PostAsync($"/api/v1/users/{id}/email/verification", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task resending_verification_mails_a_new_token_that_verifies_the_address()
    {
        var email = HttpJson.UniqueEmail("resend");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await stack.Mail.WaitForMailToAsync(email);

        var resent = await stack.Api.PostAsync($"/api/v1/users/{id}/email/verification", null);
        resent.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var second = await stack.Mail.WaitForMailToAsync(email, 2);

        var verified = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = MailTokens.Verification(second) });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await verified.ReadObjectAsync()).ToJsonString().ShouldBe("""{"status":"verified","email_verified":true}""");

        (await stack.Api.PostAsync($"/api/v1/users/{Guid.NewGuid()}/email/verification", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
