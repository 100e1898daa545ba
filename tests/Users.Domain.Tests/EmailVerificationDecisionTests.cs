using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests;

public sealed class EmailVerificationDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.CreateVersion7();

    private static User UserWith(string email, bool verified = false) =>
        new() { Id = UserId, Email = email, EmailVerified = verified };

    private static PresentedToken Token(string email, TimeSpan? expiresIn = null, DateTimeOffset? usedAt = null, Guid? userId = null) =>
        new(userId ?? UserId, email, Now + (expiresIn ?? TimeSpan.FromHours(1)), usedAt);

    [Fact]
    public void a_valid_token_for_the_current_address_decides_email_verified()
    {
        var (events, failure) = EmailVerification.Decide(UserWith("a@example.com"), Token("a@example.com"), Now);
        failure.ShouldBe(VerificationFailure.None);
        events.ShouldHaveSingleItem().ShouldBe(new EmailVerified("a@example.com"));
    }

    [Fact]
    public void the_address_is_compared_case_insensitively()
    {
        var (events, _) = EmailVerification.Decide(UserWith("A@Example.com"), Token("a@example.com"), Now);
        events.Count.ShouldBe(1);
    }

    [Fact]
    public void an_unknown_token_is_invalid() =>
        EmailVerification.Decide(UserWith("a@example.com"), null, Now).Failure.ShouldBe(VerificationFailure.InvalidToken);

    [Fact]
    public void a_token_of_another_user_is_invalid() =>
        EmailVerification.Decide(UserWith("a@example.com"), Token("a@example.com", userId: Guid.NewGuid()), Now)
            .Failure.ShouldBe(VerificationFailure.InvalidToken);

    [Fact]
    public void a_token_at_its_expiry_instant_is_expired_and_one_tick_before_is_not()
    {
        EmailVerification.Decide(UserWith("a@example.com"), Token("a@example.com", TimeSpan.Zero), Now)
            .Failure.ShouldBe(VerificationFailure.Expired);
        EmailVerification.Decide(UserWith("a@example.com"), Token("a@example.com", TimeSpan.FromTicks(1)), Now)
            .Failure.ShouldBe(VerificationFailure.None);
    }

    [Fact]
    public void a_used_token_is_refused() =>
        EmailVerification.Decide(UserWith("a@example.com"), Token("a@example.com", usedAt: Now.AddMinutes(-5)), Now)
            .Failure.ShouldBe(VerificationFailure.AlreadyUsed);

    [Fact]
    public void a_token_for_a_replaced_address_is_refused() =>
        EmailVerification.Decide(UserWith("new@example.com"), Token("old@example.com"), Now)
            .Failure.ShouldBe(VerificationFailure.EmailNoLongerCurrent);

    [Fact]
    public void verifying_an_already_verified_address_decides_nothing()
    {
        var (events, failure) = EmailVerification.Decide(UserWith("a@example.com", verified: true), Token("a@example.com"), Now);
        failure.ShouldBe(VerificationFailure.None);
        events.ShouldBeEmpty();
    }
}
