using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests.Decisions;

public sealed class VerificationResendTests
{
    [Fact]
    public void an_unverified_address_gets_a_resend_request()
    {
        var (events, failure) = VerificationResend.Decide(new User { Id = Guid.NewGuid(), Email = "a@x.test" });
        failure.ShouldBe(ResendFailure.None);
        events.ShouldHaveSingleItem().ShouldBe(new EmailVerificationResendRequested("a@x.test"));
    }

    [Fact]
    public void a_verified_or_erased_user_gets_nothing()
    {
        Nothing(VerificationResend.Decide(new User { Email = "a@x.test", EmailVerified = true }), ResendFailure.AlreadyVerified);
        Nothing(VerificationResend.Decide(new User { Email = "", IsErased = true }), ResendFailure.NoAddress);
    }

    private static void Nothing((IReadOnlyList<object> Events, ResendFailure Failure) decision, ResendFailure expected)
    {
        decision.Events.ShouldBeEmpty();
        decision.Failure.ShouldBe(expected);
    }
}
