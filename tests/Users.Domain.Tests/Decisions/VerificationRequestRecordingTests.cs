using Users.Commands;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests.Decisions;

public sealed class VerificationRequestRecordingTests
{
    private static readonly DateTimeOffset ExpiresAt = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Registered = Guid.CreateVersion7();

    private static RecordEmailVerificationRequested Mailed(string email, Guid causation) =>
        new() { UserId = Guid.NewGuid(), Email = email, ExpiresAt = ExpiresAt, CausationEventId = causation };

    [Fact]
    public void a_mail_to_the_current_address_is_recorded_with_its_cause()
    {
        var events = VerificationRequestRecording.Decide(new User { Email = "a@x.test" }, Mailed("A@x.test", Registered));
        events.ShouldHaveSingleItem().ShouldBe(new EmailVerificationRequested("A@x.test", ExpiresAt, Registered));
    }

    [Fact]
    public void the_same_cause_is_recorded_once()
    {
        var user = new User { Email = "a@x.test" };
        user.Apply((EmailVerificationRequested)VerificationRequestRecording.Decide(user, Mailed("a@x.test", Registered)).Single());

        VerificationRequestRecording.Decide(user, Mailed("a@x.test", Registered)).ShouldBeEmpty();
        VerificationRequestRecording.Decide(user, Mailed("a@x.test", Guid.CreateVersion7())).Count.ShouldBe(1, "another cause is another mail");
    }

    [Fact]
    public void an_erased_user_or_an_address_no_longer_held_records_nothing()
    {
        VerificationRequestRecording.Decide(new User { Email = "", IsErased = true }, Mailed("a@x.test", Registered)).ShouldBeEmpty();
        VerificationRequestRecording.Decide(new User { Email = "b@x.test" }, Mailed("a@x.test", Registered)).ShouldBeEmpty();
    }
}
