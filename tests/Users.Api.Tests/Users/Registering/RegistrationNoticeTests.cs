using System.Net;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Notifications;

/// <summary>Anonymous registration does not tell whether an address has an account: the address's owner is told instead.</summary>
[Collection(StackCollection.Name)]
public sealed class RegistrationNoticeTests(UsersStack stack)
{
    [Fact]
    public async Task anonymous_registration_with_a_verified_address_answers_as_for_a_free_one_and_mails_its_owner_a_notice()
    {
        var owned = HttpJson.UniqueEmail("owned");
        await stack.RegisterVerifiedAsync(owned);
        var anonymous = stack.AnonymousClient();

        var free = await anonymous.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail("free"), password = "long enough password" });
        var taken = await anonymous.PostJsonAsync("/api/v1/users", new { email = owned.ToUpperInvariant(), password = "long enough password" });

        // Nothing in the answer differs but the new account's own values.
        taken.StatusCode.ShouldBe(HttpStatusCode.Created, await taken.Content.ReadAsStringAsync());
        free.StatusCode.ShouldBe(HttpStatusCode.Created);
        var (takenUser, freeUser) = (await taken.ReadObjectAsync(), await free.ReadObjectAsync());
        takenUser.Select(kv => kv.Key).ShouldBe(freeUser.Select(kv => kv.Key));
        takenUser["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        taken.Headers.Select(h => h.Key).Order().ShouldBe(free.Headers.Select(h => h.Key).Order());

        // The mailbox gets a notice, not a link the new account could verify the address with.
        await stack.Mail.WaitForMailToAsync(owned, 2);
        var notice = stack.Mail.To(owned).Where(m => m.Subject == "Your email address was given for another account").ShouldHaveSingleItem();
        notice.TextBody!.ShouldNotContain("token=");
        notice.TextBody!.ShouldContain("already belongs to an account");
    }
}
