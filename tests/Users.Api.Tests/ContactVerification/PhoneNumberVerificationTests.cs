using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.ContactVerification;

[Collection(ContactVerificationCollection.Name)]
public sealed class PhoneNumberVerificationTests(ContactVerificationStack stack)
{
    private async Task<(Guid User, Guid Phone, string Number)> UserWithPhoneAsync()
    {
        var id = await stack.RegisterAsync();
        var number = ContactVerificationStack.UniquePhoneNumber();
        var profile = await stack.SetContactsAsync(id, phoneNumbers: [number]);
        return (id, ContactVerificationStack.IdOf(profile, "phone_numbers", "phone_number", number), number);
    }

    private async Task<HttpResponseMessage> RequestCodeAsync(Guid id, Guid phone) =>
        await stack.ClientFor(id).PostAsync($"/api/v1/users/{id}/phone-numbers/{phone}/verification", null);

    private async Task<HttpResponseMessage> SubmitAsync(Guid id, Guid phone, string code, Guid? caller = null) =>
        await stack.ClientFor(caller ?? id).PostJsonAsync($"/api/v1/users/{id}/phone-numbers/{phone}/verify", new { code });

    private static async Task<string> CodeErrorAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var error = (await response.ReadObjectAsync())["errors"]!.AsArray().ShouldHaveSingleItem()!;
        error["path"]!.GetValue<string>().ShouldBe("/code");
        return error["message"]!.GetValue<string>();
    }

    private static string Other(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("000000");

    [Fact]
    public async Task a_phone_number_is_verified_end_to_end_with_the_code_from_the_development_sms_page()
    {
        var (id, phone, number) = await UserWithPhoneAsync();

        var requested = await RequestCodeAsync(id, phone);
        requested.StatusCode.ShouldBe(HttpStatusCode.Accepted, await requested.Content.ReadAsStringAsync());
        var code = await stack.TextedCodeAsync(number);
        code.Length.ShouldBe(6);
        (await stack.DevSmsPageAsync()).ShouldContain(number);

        // Stored hashed: the document never holds the code.
        await using (var session = stack.Store.QuerySession())
        {
            var stored = (await session.LoadAsync<PhoneVerificationCode>(phone))!;
            stored.CodeHash.ShouldNotContain(code);
            stored.ExpiresAt.ShouldBeLessThan(DateTimeOffset.UtcNow.AddMinutes(11));
        }

        var verified = await SubmitAsync(id, phone, code);
        verified.StatusCode.ShouldBe(HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        (await verified.ReadObjectAsync())["verified"]!.GetValue<bool>().ShouldBeTrue();
        ContactVerificationStack.VerifiedOf(await stack.ProfileAsync(id), "phone_numbers", "phone_number", number).ShouldBeTrue();
        (await stack.StreamAsync(id)).Select(e => e.Data).OfType<PhoneNumberVerified>().ShouldHaveSingleItem()
            .ShouldBe(new PhoneNumberVerified(phone, number));

        (await CodeErrorAsync(await SubmitAsync(id, phone, code))).ShouldContain("already been used");
        (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task wrong_codes_are_refused_and_the_fifth_locks_the_code_until_a_new_one_is_sent()
    {
        var (id, phone, number) = await UserWithPhoneAsync();
        (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = await stack.TextedCodeAsync(number);

        for (var left = 4; left >= 1; left--)
            (await CodeErrorAsync(await SubmitAsync(id, phone, Other(code)))).ShouldBe($"The code is wrong; {left} more tries before it is locked.");
        (await CodeErrorAsync(await SubmitAsync(id, phone, Other(code)))).ShouldContain("locked");
        // Locked: even the right code is refused now.
        (await CodeErrorAsync(await SubmitAsync(id, phone, code))).ShouldContain("locked");
        // Malformed input is no attempt: a per-field error, not a 500.
        (await CodeErrorAsync(await SubmitAsync(id, phone, "12ab56"))).ShouldContain("6 digits");

        // A new code replaces the locked one.
        (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var fresh = await stack.TextedCodeAsync(number, count: 2);
        (await SubmitAsync(id, phone, fresh)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task an_expired_code_is_refused()
    {
        var (id, phone, number) = await UserWithPhoneAsync();
        (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = await stack.TextedCodeAsync(number);
        // Its lifetime passed (ten minutes by default; a test does not wait them out).
        await using (var session = stack.Store.LightweightSession())
        {
            var stored = (await session.LoadAsync<PhoneVerificationCode>(phone))!;
            stored.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            session.Store(stored);
            await session.SaveChangesAsync();
        }

        (await CodeErrorAsync(await SubmitAsync(id, phone, code))).ShouldContain("expired");
        ContactVerificationStack.VerifiedOf(await stack.ProfileAsync(id), "phone_numbers", "phone_number", number).ShouldBeFalse();
    }

    [Fact]
    public async Task another_users_code_or_number_is_refused()
    {
        var (alice, alicePhone, aliceNumber) = await UserWithPhoneAsync();
        var (bob, bobPhone, _) = await UserWithPhoneAsync();
        (await RequestCodeAsync(alice, alicePhone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var aliceCode = await stack.TextedCodeAsync(aliceNumber);

        // Bob submits Alice's code for Alice's number on his own account, and for his own number.
        (await CodeErrorAsync(await SubmitAsync(bob, alicePhone, aliceCode))).ShouldContain("No code was sent");
        (await CodeErrorAsync(await SubmitAsync(bob, bobPhone, aliceCode))).ShouldContain("No code was sent");
        // Nor may he act on Alice's account, nor ask codes for her number.
        (await SubmitAsync(alice, alicePhone, aliceCode, caller: bob)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stack.ClientFor(bob).PostAsync($"/api/v1/users/{alice}/phone-numbers/{alicePhone}/verification", null))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RequestCodeAsync(bob, alicePhone)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // None of it spent Alice's code.
        (await SubmitAsync(alice, alicePhone, aliceCode)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task codes_are_capped_per_user_and_per_number_with_429_and_retry_after()
    {
        var (id, phone, number) = await UserWithPhoneAsync();
        for (var i = 0; i < ContactVerificationStack.SendsPerHour; i++)
            (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var refused = await RequestCodeAsync(id, phone);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(refused.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(3000, 3600);
        var problem = await refused.ReadObjectAsync();
        problem["title"]!.GetValue<string>().ShouldBe("Too many verification mails or codes");
        problem["detail"]!.GetValue<string>().ShouldContain($"At most {ContactVerificationStack.SendsPerHour}");
        // Only the allowed ones were texted.
        await stack.TextedCodeAsync(number, count: ContactVerificationStack.SendsPerHour);
        (await stack.StreamAsync(id)).Select(e => e.Data).OfType<PhoneNumberVerificationRequested>().Count()
            .ShouldBe(ContactVerificationStack.SendsPerHour);

        // Another account listing the same number is capped by the number's own count.
        var other = await stack.RegisterAsync();
        var otherPhone = ContactVerificationStack.IdOf(await stack.SetContactsAsync(other, phoneNumbers: [number]), "phone_numbers", "phone_number", number);
        (await RequestCodeAsync(other, otherPhone)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // While its other number is not.
        var second = ContactVerificationStack.UniquePhoneNumber();
        var secondPhone = ContactVerificationStack.IdOf(await stack.SetContactsAsync(other, phoneNumbers: [number, second]), "phone_numbers", "phone_number", second);
        (await RequestCodeAsync(other, secondPhone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task removing_a_number_voids_its_code()
    {
        var (id, phone, number) = await UserWithPhoneAsync();
        (await RequestCodeAsync(id, phone)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = await stack.TextedCodeAsync(number);
        await stack.SetContactsAsync(id, phoneNumbers: []);

        (await SubmitAsync(id, phone, code)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return await session.LoadAsync<PhoneVerificationCode>(phone);
        }, c => c is null, what: "the removed number's code deleted");
    }
}
