using System.Text.Json.Nodes;
using JasperFx.Events;
using Users.Domain;
using Users.Domain.Events;

namespace Users.Domain.Tests;

public sealed class UserAggregateTests
{
    private static User Registered() => User.Create(new UserRegistered(Guid.CreateVersion7(), "a@example.com",
        new Dictionary<string, JsonNode?> { ["first_name"] = "Ada" }, null));

    /// <summary>The envelope Marten hands to <c>Apply(IEvent&lt;T&gt;)</c>, as appended at <paramref name="at"/>.</summary>
    public static IEvent<T> Appended<T>(T data, DateTimeOffset? at = null) where T : notnull =>
        new Event<T>(data) { Timestamp = at ?? DateTimeOffset.UnixEpoch };

    [Fact]
    public void changing_email_makes_the_new_address_unverified_and_remembers_the_old_one()
    {
        var user = Registered();
        user.Apply(new EmailVerified("a@example.com"));
        user.EmailVerified.ShouldBeTrue();

        user.Apply(Appended(new EmailChanged("a@example.com", "b@example.com")));

        user.Email.ShouldBe("b@example.com");
        user.EmailVerified.ShouldBeFalse();
        user.PreviousEmail.ShouldBe("a@example.com");
    }

    [Fact]
    public void reverting_restores_the_old_address_as_verified()
    {
        var user = Registered();
        user.Apply(Appended(new EmailChanged("a@example.com", "b@example.com")));
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        user.Apply(new EmailChangeReverted("b@example.com", "a@example.com", at));
        (user.Email, user.EmailVerified, user.PreviousEmail).ShouldBe(("a@example.com", true, (string?)null));
        user.LastRecoveredAt.ShouldBe(at);
    }

    [Fact]
    public void a_profile_update_sets_and_clears_fields()
    {
        var user = Registered();
        user.Apply(new UserProfileUpdated(new Dictionary<string, FieldChange>
        {
            ["first_name"] = new("Ada", null),
            ["last_name"] = new(null, "Lovelace"),
        }));
        user.Profile.ContainsKey("first_name").ShouldBeFalse();
        user.Get("last_name")!.GetValue<string>().ShouldBe("Lovelace");
    }

    [Fact]
    public void erasure_forgets_personal_data_and_deactivates()
    {
        var user = Registered();
        user.Apply(new UserErased(["email", "first_name"]));
        (user.Email, user.IsActive, user.IsErased, user.Profile.Count).ShouldBe(("", false, true, 0));
    }
}
