using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.History;

namespace Users.Domain.Tests.ContactVerification;

/// <summary>Verifying secondary addresses and phone numbers: tokens, codes (expiry, attempts) and the cap on sends.</summary>
public sealed class ContactVerificationDecisionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.CreateVersion7();
    private static readonly Guid WorkId = Guid.CreateVersion7();
    private static readonly Guid PhoneId = Guid.CreateVersion7();
    private const string Work = "work@example.com";
    private const string Phone = "+33612345678";

    private static User UserWithContacts()
    {
        var user = User.Create(new UserRegistered(UserId, "ada@example.com", new(), null));
        user.Apply(UserAggregateTests.Appended(new SecondaryEmailAdded(WorkId, Work), Noon.AddHours(-2)));
        user.Apply(new PhoneNumberAdded(PhoneId, Phone));
        return user;
    }

    private static PresentedToken MailToken(Guid? emailId = null, string email = Work, TimeSpan? expiresIn = null, Guid? userId = null) =>
        new(userId ?? UserId, email, Noon + (expiresIn ?? TimeSpan.FromHours(1)), null, emailId ?? WorkId);

    private static PresentedCode Code(int attempts = 0, TimeSpan? expiresIn = null, DateTimeOffset? usedAt = null, Guid? userId = null,
        string number = Phone) =>
        new(userId ?? UserId, PhoneId, number, Noon + (expiresIn ?? TimeSpan.FromMinutes(10)), attempts, usedAt);

    [Fact]
    public void a_valid_token_of_a_secondary_address_verifies_that_address_and_only_it()
    {
        var user = UserWithContacts();
        var (events, failure) = EmailVerification.DecideSecondary(user, WorkId, MailToken(), Noon);
        failure.ShouldBe(VerificationFailure.None);
        events.ShouldBe([new SecondaryEmailVerified(WorkId, Work)]);

        user.Apply((SecondaryEmailVerified)events[0]);
        user.Emails.ShouldHaveSingleItem().Verified.ShouldBeTrue();
        user.EmailVerified.ShouldBeFalse();
        // Redeemed again (two clicks), it decides nothing more.
        EmailVerification.DecideSecondary(user, WorkId, MailToken(), Noon).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_secondary_token_never_verifies_the_primary_address_nor_another_secondary_one()
    {
        var user = UserWithContacts();
        EmailVerification.Decide(user, MailToken(email: "ada@example.com"), Noon).Failure.ShouldBe(VerificationFailure.InvalidToken);
        EmailVerification.DecideSecondary(user, Guid.CreateVersion7(), MailToken(), Noon).Failure.ShouldBe(VerificationFailure.InvalidToken);
        // A primary token (no email id) verifies no secondary address.
        EmailVerification.DecideSecondary(user, WorkId, new PresentedToken(UserId, Work, Noon.AddHours(1), null), Noon)
            .Failure.ShouldBe(VerificationFailure.InvalidToken);
        EmailVerification.DecideSecondary(user, WorkId, MailToken(userId: Guid.CreateVersion7()), Noon)
            .Failure.ShouldBe(VerificationFailure.InvalidToken);
    }

    [Fact]
    public void an_expired_token_or_one_of_a_removed_address_verifies_nothing()
    {
        var user = UserWithContacts();
        EmailVerification.DecideSecondary(user, WorkId, MailToken(expiresIn: TimeSpan.Zero), Noon).Failure.ShouldBe(VerificationFailure.Expired);

        user.Apply(new SecondaryEmailRemoved(WorkId, Work));
        EmailVerification.DecideSecondary(user, WorkId, MailToken(), Noon).Failure.ShouldBe(VerificationFailure.EmailNoLongerCurrent);
    }

    [Fact]
    public void the_right_code_in_time_verifies_the_number()
    {
        var decision = PhoneVerification.Decide(UserWithContacts(), PhoneId, Code(attempts: 4), matches: true, Noon);
        decision.Failure.ShouldBe(CodeFailure.None);
        decision.Events.ShouldBe([new PhoneNumberVerified(PhoneId, Phone)]);
    }

    [Fact]
    public void a_wrong_code_counts_an_attempt_and_the_fifth_locks_the_code_even_against_the_right_one()
    {
        var user = UserWithContacts();
        var wrong = PhoneVerification.Decide(user, PhoneId, Code(attempts: 0), matches: false, Noon);
        (wrong.Failure, wrong.Attempts).ShouldBe((CodeFailure.Wrong, 1));
        wrong.Events.ShouldBeEmpty();

        var fifth = PhoneVerification.Decide(user, PhoneId, Code(attempts: PhoneVerification.MaxAttempts - 1), matches: false, Noon);
        (fifth.Failure, fifth.Attempts).ShouldBe((CodeFailure.Locked, PhoneVerification.MaxAttempts));

        var right = PhoneVerification.Decide(user, PhoneId, Code(attempts: PhoneVerification.MaxAttempts), matches: true, Noon);
        right.Failure.ShouldBe(CodeFailure.Locked);
        right.Events.ShouldBeEmpty();
    }

    [Fact]
    public void an_expired_used_foreign_or_missing_code_verifies_nothing()
    {
        var user = UserWithContacts();
        PhoneVerification.Decide(user, PhoneId, Code(expiresIn: TimeSpan.Zero), true, Noon).Failure.ShouldBe(CodeFailure.Expired);
        PhoneVerification.Decide(user, PhoneId, Code(usedAt: Noon.AddMinutes(-1)), true, Noon).Failure.ShouldBe(CodeFailure.AlreadyUsed);
        PhoneVerification.Decide(user, PhoneId, Code(userId: Guid.CreateVersion7()), true, Noon).Failure.ShouldBe(CodeFailure.NoCode);
        PhoneVerification.Decide(user, PhoneId, null, true, Noon).Failure.ShouldBe(CodeFailure.NoCode);
        PhoneVerification.Decide(user, Guid.CreateVersion7(), Code(), true, Noon).Failure.ShouldBe(CodeFailure.NoCode);

        user.Apply(new PhoneNumberRemoved(PhoneId, Phone));
        PhoneVerification.Decide(user, PhoneId, Code(), true, Noon).Failure.ShouldBe(CodeFailure.NumberNoLongerCurrent);
    }

    [Fact]
    public void sends_are_capped_per_user_counting_additions_and_requests_until_the_oldest_is_an_hour_old()
    {
        var cap = new VerificationSendCap(3);
        var user = UserWithContacts();
        // The addition two hours ago no longer counts; two requests in this hour do, and a third is the last allowed.
        user.Apply(UserAggregateTests.Appended(new PhoneNumberVerificationRequested(PhoneId, Phone), Noon.AddMinutes(-50)));
        user.Apply(UserAggregateTests.Appended(new SecondaryEmailVerificationResendRequested(WorkId, Work), Noon.AddMinutes(-40)));

        var third = ContactVerificationRequest.RequestCode(user, PhoneId, cap, [], Noon);
        third.Events.ShouldBe([new PhoneNumberVerificationRequested(PhoneId, Phone)]);
        user.Apply(UserAggregateTests.Appended((PhoneNumberVerificationRequested)third.Events[0], Noon));

        var fourth = ContactVerificationRequest.ResendMail(user, WorkId, cap, [], Noon.AddMinutes(1));
        fourth.Failure.ShouldBe(SendFailure.TooManySends);
        fourth.AllowedAgainAt.ShouldBe(Noon.AddMinutes(10));
        fourth.Events.ShouldBeEmpty();

        ContactVerificationRequest.ResendMail(user, WorkId, cap, [], Noon.AddMinutes(11)).Failure.ShouldBe(SendFailure.None);
        ContactVerificationRequest.ResendMail(user, WorkId, VerificationSendCap.None, [], Noon.AddMinutes(1)).Failure.ShouldBe(SendFailure.None);
    }

    [Fact]
    public void additions_past_the_cap_are_not_mailed_counting_the_sends_before_each_one()
    {
        var cap = new VerificationSendCap(3);
        var user = User.Create(new UserRegistered(UserId, "ada@example.com", new(), null));
        // A registration listing five addresses: versions 2 to 6, appended together; and one more an hour later.
        for (var version = 2; version <= 6; version++)
            user.Apply(new JasperFx.Events.Event<SecondaryEmailAdded>(new SecondaryEmailAdded(Guid.CreateVersion7(), $"a{version}@example.com"))
            { Version = version, Timestamp = Noon });
        user.Apply(new JasperFx.Events.Event<SecondaryEmailAdded>(new SecondaryEmailAdded(Guid.CreateVersion7(), "late@example.com"))
        { Version = 7, Timestamp = Noon.AddHours(1) });

        Enumerable.Range(2, 6).Select(v => cap.Allows(user.VerificationSends, v)).ShouldBe([true, true, true, false, false, true]);
        VerificationSendCap.None.Allows(user.VerificationSends, 6).ShouldBeTrue();
        cap.Allows(user.VerificationSends, 99).ShouldBeFalse("a send the user no longer remembers is not mailed");
    }

    [Fact]
    public void sends_are_capped_per_address_across_accounts()
    {
        var cap = new VerificationSendCap(3);
        var toTheNumber = new[] { Noon.AddMinutes(-30), Noon.AddMinutes(-20), Noon.AddMinutes(-10) };
        var refused = ContactVerificationRequest.RequestCode(UserWithContacts(), PhoneId, cap, toTheNumber, Noon);
        (refused.Failure, refused.AllowedAgainAt).ShouldBe((SendFailure.TooManySends, Noon.AddMinutes(30)));
    }

    [Fact]
    public void nothing_is_sent_for_an_unknown_or_verified_contact()
    {
        var user = UserWithContacts();
        ContactVerificationRequest.RequestCode(user, Guid.CreateVersion7(), VerificationSendCap.None, [], Noon).Failure
            .ShouldBe(SendFailure.UnknownContact);
        user.Apply(new PhoneNumberVerified(PhoneId, Phone));
        ContactVerificationRequest.RequestCode(user, PhoneId, VerificationSendCap.None, [], Noon).Failure.ShouldBe(SendFailure.AlreadyVerified);
        user.Apply(new SecondaryEmailVerified(WorkId, Work));
        ContactVerificationRequest.ResendMail(user, WorkId, VerificationSendCap.None, [], Noon).Failure.ShouldBe(SendFailure.AlreadyVerified);
    }

    [Fact]
    public void history_lists_the_verified_addresses_and_numbers_and_a_removal_drops_them()
    {
        var changes = FieldHistory.Replay([
            new UserRegistered(UserId, "ada@example.com", new(), null),
            new SecondaryEmailAdded(WorkId, Work),
            new SecondaryEmailVerified(WorkId, Work),
            new PhoneNumberAdded(PhoneId, Phone),
            new PhoneNumberVerified(PhoneId, Phone),
            new SecondaryEmailRemoved(WorkId, Work),
        ]);
        changes[2]["verified_emails"].To!.ToJsonString().ShouldBe("""["work@example.com"]""");
        changes[4]["verified_phone_numbers"].To!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe([Phone]);
        changes[5]["verified_emails"].To.ShouldBeNull();
    }

    [Fact]
    public void masking_erases_the_verified_address_and_number_but_keeps_the_ids()
    {
        PersonalData.Mask(new SecondaryEmailVerified(WorkId, Work)).ShouldBe(new SecondaryEmailVerified(WorkId, PersonalData.Erased));
        PersonalData.Mask(new PhoneNumberVerificationRequested(PhoneId, Phone)).ShouldBe(new PhoneNumberVerificationRequested(PhoneId, PersonalData.Erased));
    }
}
