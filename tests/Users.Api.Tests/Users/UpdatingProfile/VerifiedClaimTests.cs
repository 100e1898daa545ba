using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Profile;

/// <summary>An address belongs to the account that verifies it first; an unverified claim blocks nobody.</summary>
[Collection(ProfileCollection.Name)]
public sealed class VerifiedClaimTests(ProfileStack stack)
{
    [Fact]
    public async Task a_squatter_holding_an_unverified_address_does_not_stop_its_owner_from_verifying_it()
    {
        var address = HttpJson.UniqueEmail("squatted");
        var squatter = await stack.RegisterIdAsync(new { email = address });

        var owner = await stack.RegisterIdAsync(new { email = address.ToUpperInvariant() });
        (await stack.VerifyEmailAsync(owner, address.ToUpperInvariant())).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The squatter's own verification now comes second: refused, and the address stays unverified there.
        var late = await stack.VerifyEmailAsync(squatter, address);
        (await late.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/email", "Email has already been taken")]);
        (await stack.GetAsync(squatter))["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        (await stack.StreamAsync(squatter)).ShouldNotContain(e => e.Data is EmailVerified);
        (await stack.GetAsync(owner))["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        await using var session = stack.Store.QuerySession();
        (await session.LoadAsync<EmailOwnership>(address))!.UserId.ShouldBe(owner);
    }

    [Fact]
    public async Task an_unverified_address_can_be_changed_to_by_another_account()
    {
        var address = HttpJson.UniqueEmail("unclaimed");
        await stack.RegisterIdAsync(new { email = address });
        var other = await stack.RegisterIdAsync();

        (await stack.PatchAsync(other, $$"""{"email": "{{address}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stack.PatchAsync(other, $$"""{"emails": [{"email": "{{HttpJson.UniqueEmail("second")}}"}]}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_squatter_taking_the_old_address_after_a_takeover_does_not_block_its_owners_revert()
    {
        var owned = HttpJson.UniqueEmail("reverted");
        var owner = await stack.RegisterVerifiedAsync(owned);
        var intruder = HttpJson.UniqueEmail("intruder");
        (await stack.PatchAsync(owner, $$"""{"email": "{{intruder}}"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The intruder's second account grabs the freed address, unverified.
        var squatter = await stack.RegisterIdAsync(new { email = owned });

        // The revert token names the change it undoes (the handler replays the stream up to it).
        var change = (await stack.StreamAsync(owner)).Last(e => e.Data is EmailChanged);
        var token = "r-" + Guid.NewGuid().ToString("N");
        await using (var session = stack.Store.LightweightSession())
        {
            session.Store(new EmailRevertToken
            {
                Id = ServiceDefaults.SecretTokens.Hash(token),
                UserId = owner,
                RestoredEmail = owned,
                ChangedTo = intruder,
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                CausationEventId = change.Id,
            });
            await session.SaveChangesAsync();
        }
        var reverted = await stack.AnonymousClient().PostJsonAsync($"/api/v1/users/{owner}/email/revert", new { token });

        reverted.StatusCode.ShouldBe(HttpStatusCode.OK, await reverted.Content.ReadAsStringAsync());
        (await stack.GetAsync(owner))["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        await using (var query = stack.Store.QuerySession())
            (await query.LoadAsync<EmailOwnership>(owned))!.UserId.ShouldBe(owner);
        (await (await stack.VerifyEmailAsync(squatter, owned)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/email", "Email has already been taken")]);
    }

    [Fact]
    public async Task an_address_verified_by_another_account_is_422_whether_primary_or_secondary()
    {
        var holderEmail = HttpJson.UniqueEmail("holder");
        await stack.RegisterVerifiedAsync(holderEmail);
        var id = await stack.RegisterIdAsync();

        var asPrimary = await stack.PatchAsync(id, $$"""{"email": "{{holderEmail.ToUpperInvariant()}}"}""");
        (await asPrimary.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/email", "Email has already been taken")]);

        var asSecondary = await stack.PatchAsync(id, $$"""{"emails": [{"email": "{{holderEmail}}"}]}""");
        (await asSecondary.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/emails/0/email", "Email has already been taken")]);

        // An authenticated caller (here an admin) registering it is told too.
        var atRegistration = await stack.Api.PostJsonAsync("/api/v1/users", new { email = holderEmail });
        (await atRegistration.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors()
            .ShouldBe([("/email", "Email has already been taken")]);
        (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task addresses_are_compared_by_their_normalised_key()
    {
        var local = "jos\u00e9" + Guid.NewGuid().ToString("N")[..8];
        await stack.RegisterVerifiedAsync($"{local}@b\u00fccher.example");
        var id = await stack.RegisterIdAsync();

        // Upper case, and the domain in punycode: the same mailbox. (A decomposed "é" is refused by validation before
        // it could be compared; the key folds it too, see EmailAddressTests.)
        var variant = $"{local.ToUpperInvariant()}@XN--BCHER-KVA.example";
        var response = await stack.PatchAsync(id, $$"""{"email": "{{variant}}"}""");
        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([("/email", "Email has already been taken")]);
    }

    [Fact]
    public async Task a_taken_email_and_a_short_password_are_reported_together()
    {
        var taken = HttpJson.UniqueEmail("both");
        await stack.RegisterVerifiedAsync(taken);
        var username = "both" + Guid.NewGuid().ToString("N")[..10];
        await stack.RegisterIdAsync(new { email = HttpJson.UniqueEmail(), username });
        var id = await stack.RegisterIdAsync();

        var update = await stack.PatchAsync(id, $$"""
            {"email": "{{taken}}", "password": "short", "username": "{{username}}", "emails": [{"email": "{{taken}}"}]}
            """);
        // In the catalogue's field order, as the validator reports.
        (await update.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([
            ("/username", "Username has already been taken"),
            ("/email", "Email has already been taken"),
            ("/emails/0/email", "Email has already been taken"),
            ("/password", "Password is too short (minimum is 8 characters)."),
        ]);

        var registration = await stack.Api.PostJsonAsync("/api/v1/users", new { email = taken, password = "short" });
        (await registration.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Errors().ShouldBe([
            ("/email", "Email has already been taken"),
            ("/password", "Password is too short (minimum is 8 characters)."),
        ]);
        (await stack.StreamAsync(id)).Count.ShouldBe(1);
    }
}
