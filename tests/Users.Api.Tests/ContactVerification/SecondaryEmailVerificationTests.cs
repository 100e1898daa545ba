using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Tests.ContactVerification;

[Collection(ContactVerificationCollection.Name)]
public sealed class SecondaryEmailVerificationTests(ContactVerificationStack stack)
{
    [Fact]
    public async Task an_added_secondary_email_is_mailed_its_own_link_and_verified_end_to_end()
    {
        var id = await stack.RegisterAsync();
        var work = HttpJson.UniqueEmail("work");
        var profile = await stack.SetContactsAsync(id, emails: [work]);
        var emailId = ContactVerificationStack.IdOf(profile, "emails", "email", work);
        ContactVerificationStack.VerifiedOf(profile, "emails", "email", work).ShouldBeFalse();

        // The mail as the catcher shows it: the link names the user, the address and the token.
        var link = await stack.VerificationLinkAsync(work);
        (link.UserId, link.EmailId).ShouldBe((id, emailId));

        // The verify page posts the token anonymously, as the link's holder.
        var verified = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/emails/{emailId}/verify", new { token = link.Token });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        (await verified.ReadObjectAsync()).ToJsonString().ShouldBe("""{"status":"verified","verified":true}""");

        profile = await stack.ProfileAsync(id);
        ContactVerificationStack.VerifiedOf(profile, "emails", "email", work).ShouldBeTrue();
        profile["email_verified"]!.GetValue<bool>().ShouldBeFalse("the primary address is not the one verified");
        (await stack.StreamAsync(id)).Select(e => e.Data).OfType<SecondaryEmailVerified>().ShouldHaveSingleItem()
            .ShouldBe(new SecondaryEmailVerified(emailId, work));
        await using (var session = stack.Store.QuerySession())
            (await session.LoadAsync<EmailOwnership>(EmailAddress.Normalize(work)))!.UserId.ShouldBe(id);

        // Single use, and never on the primary address's route.
        var again = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/emails/{emailId}/verify", new { token = link.Token });
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var onPrimary = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = link.Token });
        onPrimary.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await onPrimary.ReadObjectAsync())["errors"]![0]!["path"]!.GetValue<string>().ShouldBe("/token");
    }

    [Fact]
    public async Task a_resend_mails_a_fresh_link_that_verifies()
    {
        var id = await stack.RegisterAsync();
        var work = HttpJson.UniqueEmail("resend");
        var emailId = ContactVerificationStack.IdOf(await stack.SetContactsAsync(id, emails: [work]), "emails", "email", work);
        await stack.VerificationLinkAsync(work);

        var resend = await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/emails/{emailId}/verification", null);
        resend.StatusCode.ShouldBe(HttpStatusCode.Accepted, await resend.Content.ReadAsStringAsync());
        var second = await stack.VerificationLinkAsync(work, count: 2);

        var verified = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{id}/emails/{emailId}/verify", new { token = second.Token });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());

        // Verified, there is nothing more to send.
        (await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/emails/{emailId}/verification", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task another_users_token_or_a_removed_addresss_token_verifies_nothing()
    {
        var alice = await stack.RegisterAsync();
        var bob = await stack.RegisterAsync();
        var aliceWork = HttpJson.UniqueEmail("alice");
        var bobWork = HttpJson.UniqueEmail("bob");
        var aliceEmailId = ContactVerificationStack.IdOf(await stack.SetContactsAsync(alice, emails: [aliceWork]), "emails", "email", aliceWork);
        var bobEmailId = ContactVerificationStack.IdOf(await stack.SetContactsAsync(bob, emails: [bobWork]), "emails", "email", bobWork);
        var aliceLink = await stack.VerificationLinkAsync(aliceWork);
        await stack.VerificationLinkAsync(bobWork);

        // Alice's token on Bob's address (and on Bob's user with Alice's address id).
        foreach (var url in new[] { $"/api/v1/users/{bob}/emails/{bobEmailId}/verify", $"/api/v1/users/{bob}/emails/{aliceEmailId}/verify" })
        {
            var refused = await stack.AnonymousClient().PostJsonAsync(url, new { token = aliceLink.Token });
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            (await refused.ReadObjectAsync())["errors"]![0]!["message"]!.GetValue<string>().ShouldBe("The token is not valid.");
        }

        // Removed, the address's tokens are void (and gone from the store once the worker hears of it).
        await stack.SetContactsAsync(alice, emails: []);
        var removed = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{alice}/emails/{aliceEmailId}/verify", new { token = aliceLink.Token });
        removed.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return await session.Query<EmailVerificationToken>().CountAsync(t => t.UserId == alice && t.EmailId == aliceEmailId);
        }, n => n == 0, what: "the removed address's tokens deleted");
        var profile = await stack.ProfileAsync(bob);
        ContactVerificationStack.VerifiedOf(profile, "emails", "email", bobWork).ShouldBeFalse();
    }

    [Fact]
    public async Task addresses_added_past_the_cap_are_not_mailed_and_resends_are_refused_429()
    {
        var id = await stack.RegisterAsync();
        var addresses = Enumerable.Range(1, ContactVerificationStack.SendsPerHour + 1).Select(n => HttpJson.UniqueEmail($"many{n}")).ToArray();
        var profile = await stack.SetContactsAsync(id, emails: addresses);
        foreach (var address in addresses[..^1])
            await stack.VerificationLinkAsync(address);

        // The worker has passed the last addition once it has handled a later removal (one user's events go in order).
        var firstId = ContactVerificationStack.IdOf(profile, "emails", "email", addresses[0]);
        await stack.SetContactsAsync(id, emails: addresses[1..]);
        await Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return await session.Query<EmailVerificationToken>().CountAsync(t => t.UserId == id && t.EmailId == firstId);
        }, n => n == 0, what: "the worker past the last addition");
        (await stack.MailCountAsync(addresses[^1])).ShouldBe(0);

        var lastId = ContactVerificationStack.IdOf(profile, "emails", "email", addresses[^1]);
        var resend = await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/emails/{lastId}/verification", null);
        resend.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        resend.Headers.Contains("Retry-After").ShouldBeTrue();
    }
}
