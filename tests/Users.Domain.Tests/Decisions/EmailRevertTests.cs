using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests.Decisions;

public sealed class EmailRevertTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.NewGuid();

    private static User ChangedFrom(string old, string current) => new()
    {
        Id = UserId,
        Email = current,
        EmailVerified = false,
        PreviousEmail = old,
    };

    private static PresentedRevertToken Token(string restore, DateTimeOffset? expires = null, DateTimeOffset? used = null,
        DateTimeOffset? changedAt = null, bool wasVerified = true) =>
        new(UserId, restore, expires ?? Now.AddHours(1), used, changedAt ?? Now.AddMinutes(-10), wasVerified);

    [Fact]
    public void a_valid_token_restores_the_previous_address_and_records_the_recovery_time()
    {
        var (events, failure) = EmailRevert.Decide(ChangedFrom("a@x.test", "b@x.test"), Token("a@x.test"), Now);
        failure.ShouldBe(RevertFailure.None);
        events.ShouldHaveSingleItem().ShouldBe(new EmailChangeReverted("b@x.test", "a@x.test", Now));
    }

    [Fact]
    public void the_previous_address_is_restored_even_after_a_further_change()
    {
        var (events, _) = EmailRevert.Decide(ChangedFrom("b@x.test", "c@x.test"), Token("a@x.test"), Now);
        events.ShouldHaveSingleItem().ShouldBe(new EmailChangeReverted("c@x.test", "a@x.test", Now));
    }

    [Fact]
    public void an_expired_used_or_foreign_token_is_refused_and_decides_nothing()
    {
        var user = ChangedFrom("a@x.test", "b@x.test");
        Nothing(EmailRevert.Decide(user, Token("a@x.test", expires: Now), Now), RevertFailure.Expired);
        Nothing(EmailRevert.Decide(user, Token("a@x.test", used: Now.AddMinutes(-1)), Now), RevertFailure.AlreadyUsed);
        Nothing(EmailRevert.Decide(user, Token("a@x.test") with { UserId = Guid.NewGuid() }, Now), RevertFailure.InvalidToken);
        Nothing(EmailRevert.Decide(user, null, Now), RevertFailure.InvalidToken);
    }

    [Fact]
    public void reverting_to_the_current_verified_address_is_a_no_op()
    {
        var user = new User { Id = UserId, Email = "a@x.test", EmailVerified = true };
        Nothing(EmailRevert.Decide(user, Token("A@x.test"), Now), RevertFailure.None);
    }

    [Fact]
    public void an_address_that_was_unverified_when_the_change_left_it_cannot_be_restored()
    {
        // Whoever reads a mistyped or squatted address never proved it was the owner's: its link recovers nothing.
        Nothing(EmailRevert.Decide(ChangedFrom("typo@x.test", "b@x.test"), Token("typo@x.test", wasVerified: false), Now),
            RevertFailure.AddressWasUnverified);
    }

    [Fact]
    public void a_recovery_voids_the_revert_tokens_of_every_change_before_it()
    {
        // The revert war: A→X→Y by a thief; the owner restores A; the thief's token for X→Y must not bring X back.
        var recovered = new User { Id = UserId, Email = "a@x.test", EmailVerified = true };
        recovered.Apply(new EmailChangeReverted("y@x.test", "a@x.test", Now.AddMinutes(-1)));

        Nothing(EmailRevert.Decide(recovered, Token("x@x.test", changedAt: Now.AddMinutes(-5)), Now), RevertFailure.InvalidToken);

        // A change made after the recovery has a link of its own that works.
        recovered.Apply(UserAggregateTests.Appended(new EmailChanged("a@x.test", "z@x.test")));
        var (events, failure) = EmailRevert.Decide(recovered, Token("a@x.test", changedAt: Now.AddSeconds(-30)), Now);
        failure.ShouldBe(RevertFailure.None);
        events.ShouldHaveSingleItem().ShouldBe(new EmailChangeReverted("z@x.test", "a@x.test", Now));
    }

    [Fact]
    public void a_password_changed_since_the_change_is_put_back_as_it_was()
    {
        // The thief set a password of their own after taking the address: the recovery undoes that too.
        var user = ChangedFrom("a@x.test", "b@x.test");
        user.PasswordHash = "thief's hash";
        var (events, _) = EmailRevert.Decide(user, Token("a@x.test") with { PasswordHashBeforeChange = "owner's hash" }, Now);
        events.ShouldBe([new EmailChangeReverted("b@x.test", "a@x.test", Now), new PasswordChanged("owner's hash")]);

        // Unchanged since, or no password before (nothing to put back): no PasswordChanged.
        user.PasswordHash = "owner's hash";
        EmailRevert.Decide(user, Token("a@x.test") with { PasswordHashBeforeChange = "owner's hash" }, Now).Events.ShouldHaveSingleItem();
        EmailRevert.Decide(user, Token("a@x.test"), Now).Events.ShouldHaveSingleItem();
    }

    private static void Nothing((IReadOnlyList<object> Events, RevertFailure Failure) decision, RevertFailure expected)
    {
        decision.Events.ShouldBeEmpty();
        decision.Failure.ShouldBe(expected);
    }
}
