using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;

namespace Users.Api.Tests.Notifications;

/// <summary>
/// A thief with one stolen credential against the owner with the revert link mailed to the owner's address:
/// the owner's recovery must win, and leave the thief nothing to come back with.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AccountRecoveryTests(UsersStack stack)
{
    [Fact]
    public async Task the_owner_wins_the_revert_war_and_the_thief_keeps_no_link_key_or_session()
    {
        var (id, owned) = await RegisterVerifiedAsync("owner", password: "the owner's own passphrase");
        var ownersKey = await IssueKeyAsync(id, "owner's laptop");
        // The thief holds a session of the owner's (a stolen bearer token).
        var stolen = stack.ClientFor(id);

        // A→X: the thief's address, which the thief verifies; then a key of the thief's own; then X→Y.
        var x = HttpJson.UniqueEmail("thief-x");
        (await stolen.PatchJsonAsync($"/api/v1/users/{id}", new { email = x })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ownersNotice = await stack.Mail.WaitForMailToAsync(owned, 2);
        (await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify",
            new { token = MailTokens.Verification(await stack.Mail.WaitForMailToAsync(x)) })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var thiefsKey = await IssueKeyAsync(id, "thief", stolen);
        (await stolen.PatchJsonAsync($"/api/v1/users/{id}", new { password = "the thief's passphrase" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var y = HttpJson.UniqueEmail("thief-y");
        (await stolen.PatchJsonAsync($"/api/v1/users/{id}", new { email = y })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var thiefsNotice = await stack.Mail.WaitForMailToAsync(x, 2);
        var thiefsVerification = await stack.Mail.WaitForMailToAsync(y);
        await Eventually.Until(async () => (await stack.StreamAsync(id)).Count(e => e.Data is EmailVerificationRequested), n => n >= 3,
            what: "the verification mail for Y recorded");

        // The owner recovers with the link mailed to A.
        var recovered = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = MailTokens.Revert(ownersNotice) });
        recovered.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await recovered.ReadObjectAsync();
        answer.Select(kv => kv.Key).OrderBy(k => k).ShouldBe(["email_verified", "status"]);
        answer["email_verified"]!.GetValue<bool>().ShouldBeTrue();

        // The thief's links are void: X does not come back, Y cannot be verified.
        var counter = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = MailTokens.Revert(thiefsNotice) });
        counter.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var verifyY = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = MailTokens.Verification(thiefsVerification) });
        verifyY.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var profile = await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync();
        (profile["email"]!.GetValue<string>(), profile["email_verified"]!.GetValue<bool>()).ShouldBe((owned, true));
        await using (var session = stack.Store.QuerySession())
        {
            (await session.Query<Projections.EmailRevertToken>().Where(t => t.UserId == id).ToListAsync())
                .ShouldAllBe(t => t.UsedAt != null);
            (await session.Query<Projections.EmailVerificationToken>().Where(t => t.UserId == id).ToListAsync())
                .ShouldAllBe(t => t.UsedAt != null);
        }

        // The owner's password is back: the last password event carries the hash registered with the account.
        var stream = await stack.StreamAsync(id);
        stream.Last(e => e.Data is PasswordChanged).Version.ShouldBe(stream.Single(e => e.Data is EmailChangeReverted).Version + 1);
        ((PasswordChanged)stream.Last(e => e.Data is PasswordChanged).Data).PasswordHash
            .ShouldBe(((UserRegistered)stream[0].Data).PasswordHash);

        // The thief's session and the key minted since the change are dead; the owner's older key and a new session work.
        var thiefsSession = await stolen.GetAsync($"/api/v1/users/{id}");
        thiefsSession.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await thiefsSession.ReadObjectAsync())["detail"]!.GetValue<string>().ShouldContain("recovered");
        (await stack.ClientWithApiKey(thiefsKey).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await stack.ClientWithApiKey(ownersKey).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a token's iat is in whole seconds
        (await stack.ClientFor(id).GetAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Both addresses hear of it: the one restored and the one the account was taken back from.
        var toOwner = await stack.Mail.WaitForMailToAsync(owned, 3);
        toOwner.Subject.ShouldBe("Your account's email address was restored");
        toOwner.TextBody!.ShouldContain(y);
        var toThief = await stack.Mail.WaitForMailToAsync(y, 2);
        toThief.Subject.ShouldBe("This address was removed from an account");
        toThief.TextBody!.ShouldNotContain(owned);
    }

    [Fact]
    public async Task an_address_that_was_unverified_when_it_was_changed_cannot_be_restored()
    {
        // Registered with an address nobody proved (a typo, or someone else's): its notice must not hand over the account.
        var typo = HttpJson.UniqueEmail("typo");
        var id = await stack.RegisterSettledAsync("unused", new { email = typo });
        var fixedEmail = HttpJson.UniqueEmail("fixed");
        (await stack.ClientFor(id).PatchJsonAsync($"/api/v1/users/{id}", new { email = fixedEmail })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await stack.Mail.WaitForMailToAsync(typo, 2);

        var response = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = MailTokens.Revert(notice) });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.ReadObjectAsync())["errors"]![0]!["message"]!.GetValue<string>().ShouldContain("not verified");
        (await stack.StreamAsync(id)).ShouldNotContain(e => e.Data is EmailChangeReverted);
    }

    [Fact]
    public async Task a_key_may_not_change_email_or_password_but_an_admin_may()
    {
        var id = await stack.RegisterSettledAsync("keyed");
        var key = stack.ClientWithApiKey(await IssueKeyAsync(id, "ci"));

        var email = await key.PatchJsonAsync($"/api/v1/users/{id}", new { email = HttpJson.UniqueEmail("keyed"), password = "a long new password" });
        email.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        email.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await email.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).Order().ShouldBe(["/email", "/password"]);
        (await key.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Keyed" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The seed dialects refuse it in their own shape (seed 004: its one 401 body).
        var seed = await stack.AnonymousClient().SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/users/{id}")
        {
            Content = HttpJson.Body(new { user = new { email = HttpJson.UniqueEmail("seed") } }),
            Headers = { { "X-Api-Key", await IssueKeyAsync(id, "seed client") } },
        });
        seed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var seedBody = JsonNode.Parse(await seed.Content.ReadAsStringAsync())!.AsObject();
        seedBody["status"]!.GetValue<string>().ShouldBe("error");

        // An admin (here the bootstrap key) still may, and the user with an interactive token.
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = HttpJson.UniqueEmail("admin-set") })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.ClientFor(id).PatchJsonAsync($"/api/v1/users/{id}", new { password = "another long password" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.StreamAsync(id)).Count(e => e.Data is EmailChanged).ShouldBe(1);
    }

    [Fact]
    public async Task verify_and_revert_answer_status_only_and_the_same_for_an_unknown_user_as_for_a_bad_token()
    {
        var (id, _) = await RegisterVerifiedAsync("answers");
        var anonymous = stack.AnonymousClient();

        var unknown = await anonymous.PostJsonAsync($"/api/v1/users/{Guid.CreateVersion7()}/email/verify", new { token = "not-the-token" });
        var wrong = await anonymous.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = "not-the-token" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(await wrong.Content.ReadAsStringAsync());

        var unknownRevert = await anonymous.PostJsonAsync($"/api/v1/users/{Guid.CreateVersion7()}/email/revert", new { token = "not-the-token" });
        var wrongRevert = await anonymous.PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = "not-the-token" });
        unknownRevert.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unknownRevert.Content.ReadAsStringAsync()).ShouldBe(await wrongRevert.Content.ReadAsStringAsync());
    }

    /// <summary>Registers a user and verifies the address from the mail; the verify answer is status and flag only.</summary>
    private async Task<(Guid Id, string Email)> RegisterVerifiedAsync(string name, string? password = null)
    {
        var email = HttpJson.UniqueEmail(name);
        var id = await stack.RegisterSettledAsync(name, password is null ? new { email } : new { email, password });
        var verified = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify",
            new { token = MailTokens.Verification(await stack.Mail.WaitForMailToAsync(email)) });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await verified.ReadObjectAsync();
        answer.Select(kv => kv.Key).OrderBy(k => k).ShouldBe(["email_verified", "status"]);
        (answer["status"]!.GetValue<string>(), answer["email_verified"]!.GetValue<bool>()).ShouldBe(("verified", true));
        return (id, email);
    }

    private async Task<string> IssueKeyAsync(Guid id, string name, HttpClient? client = null)
    {
        var issued = await (client ?? stack.ClientFor(id)).PostJsonAsync($"/api/v1/users/{id}/api-keys", new { name });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        return (await issued.ReadObjectAsync())["key"]!.GetValue<string>();
    }
}
