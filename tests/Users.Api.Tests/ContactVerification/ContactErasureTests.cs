using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Projections;

namespace Users.Api.Tests.ContactVerification;

[Collection(ContactVerificationCollection.Name)]
public sealed class ContactErasureTests(ContactVerificationStack stack)
{
    [Fact]
    public async Task erasure_removes_the_users_codes_tokens_and_send_counts()
    {
        var id = await stack.RegisterAsync();
        var number = ContactVerificationStack.UniquePhoneNumber();
        var work = HttpJson.UniqueEmail("erased");
        var profile = await stack.SetContactsAsync(id, emails: [work], phoneNumbers: [number]);
        var phone = ContactVerificationStack.IdOf(profile, "phone_numbers", "phone_number", number);
        var emailId = ContactVerificationStack.IdOf(profile, "emails", "email", work);
        (await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/phone-numbers/{phone}/verification", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/emails/{emailId}/verification", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await stack.TextedCodeAsync(number);
        await stack.VerificationLinkAsync(work, count: 2);
        await using (var session = stack.Store.QuerySession())
            (await session.Query<VerificationSendLog>().CountAsync()).ShouldBeGreaterThan(0);

        (await stack.Api.DeleteAsync($"/api/v1/users/{id}")).IsSuccessStatusCode.ShouldBeTrue();

        await using (var session = stack.Store.QuerySession())
        {
            (await session.LoadAsync<PhoneVerificationCode>(phone)).ShouldBeNull();
            (await session.Query<EmailVerificationToken>().CountAsync(t => t.UserId == id)).ShouldBe(0);
            (await session.LoadAsync<VerificationSendLog>(Api.Users.VerifyingContacts.RequestContactVerificationHandler.SmsKey(number))).ShouldBeNull();
            (await session.LoadAsync<VerificationSendLog>(Api.Users.VerifyingContacts.RequestContactVerificationHandler.MailKey(work))).ShouldBeNull();
        }
    }
}
