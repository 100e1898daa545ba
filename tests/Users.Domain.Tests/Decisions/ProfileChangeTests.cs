using System.Text.Json.Nodes;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests.Decisions;

public sealed class ProfileChangeTests
{
    private static readonly Guid UserId = Guid.Parse("0190a000-0000-7000-8000-000000000001");

    private static User Given(params object[] history)
    {
        var user = User.Create((UserRegistered)history[0]);
        foreach (var e in history.Skip(1))
        {
            // An addition is applied with its envelope: its time counts against the cap on verification mails.
            if (e is SecondaryEmailAdded added)
                user.Apply(UserAggregateTests.Appended(added));
            else
                ((dynamic)user).Apply((dynamic)e);
        }
        return user;
    }

    private static UserRegistered Registered(string email = "ada@example.com", string profileJson = "{}") =>
        new(UserId, email, JsonNode.Parse(profileJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()), null);

    private static ProfilePatch Patch(string json)
    {
        var n = 0;
        return new ProfilePatch(JsonNode.Parse(json)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()))
        {
            NewId = () => Guid.Parse($"00000000-0000-0000-0000-{++n:000000000000}"),
        };
    }

    private static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:000000000000}");

    [Fact]
    public void only_the_fields_that_change_are_in_the_event()
    {
        var user = Given(Registered(profileJson: """{"first_name": "Ada", "country": "GB"}"""));
        var events = ProfileChange.Decide(user, Patch("""{"first_name": "Ada", "country": "FR", "company": "Analytical"}"""));
        var updated = events.ShouldHaveSingleItem().ShouldBeOfType<UserProfileUpdated>();
        updated.Changes.Keys.Order().ShouldBe(["company", "country"]);
        updated.Changes["country"].From!.GetValue<string>().ShouldBe("GB");
        updated.Changes["country"].To!.GetValue<string>().ShouldBe("FR");
        updated.Changes["company"].From.ShouldBeNull();
    }

    [Fact]
    public void an_update_that_changes_nothing_decides_nothing()
    {
        var user = Given(Registered(profileJson: """{"first_name": "Ada", "notifications": ["push_new_transaction"]}"""),
            new SecondaryEmailAdded(Id(9), "two@example.com"), new PhoneNumberAdded(Id(8), "+14155552671"));
        ProfileChange.Decide(user, Patch("""
            {"first_name": "Ada", "notifications": ["push_new_transaction"], "email": "ADA@example.com", "is_active": true,
             "emails": [{"email": "Two@example.com"}], "phone_numbers": [{"phone_number": "+14155552671"}], "middle_name": null}
            """)).ShouldBeEmpty();
    }

    [Fact]
    public void null_clears_a_field_and_absent_leaves_it()
    {
        var user = Given(Registered(profileJson: """{"first_name": "Ada", "last_name": "Lovelace"}"""));
        var updated = ProfileChange.Decide(user, Patch("""{"last_name": null}""")).ShouldHaveSingleItem().ShouldBeOfType<UserProfileUpdated>();
        updated.Changes.Keys.ShouldBe(["last_name"]);
        updated.Changes["last_name"].From!.GetValue<string>().ShouldBe("Lovelace");
        updated.Changes["last_name"].To.ShouldBeNull();
    }

    [Fact]
    public void a_list_field_is_replaced_whole()
    {
        var user = Given(Registered(profileJson: """{"feature_flags": ["a", "b"]}"""));
        var updated = ProfileChange.Decide(user, Patch("""{"feature_flags": ["b"]}""")).ShouldHaveSingleItem().ShouldBeOfType<UserProfileUpdated>();
        updated.Changes["feature_flags"].To!.ToJsonString().ShouldBe("""["b"]""");
    }

    [Fact]
    public void setting_is_active_false_deactivates_and_true_reactivates()
    {
        var active = Given(Registered());
        ProfileChange.Decide(active, Patch("""{"is_active": false}""")).ShouldHaveSingleItem().ShouldBeOfType<UserDeactivated>();
        ProfileChange.Decide(active, Patch("""{"is_active": true}""")).ShouldBeEmpty();

        var inactive = Given(Registered(), new UserDeactivated());
        ProfileChange.Decide(inactive, Patch("""{"is_active": true}""")).ShouldHaveSingleItem().ShouldBeOfType<UserReactivated>();
        ProfileChange.Decide(inactive, Patch("""{"is_active": false}""")).ShouldBeEmpty();
    }

    [Fact]
    public void a_new_primary_email_is_a_change_of_address_but_a_change_of_case_is_not()
    {
        var user = Given(Registered("ada@example.com"));
        ProfileChange.Decide(user, Patch("""{"email": "Ada@Example.com"}""")).ShouldBeEmpty();
        ProfileChange.Decide(user, Patch("""{"email": "lovelace@example.com"}""")).ShouldHaveSingleItem()
            .ShouldBe(new EmailChanged("ada@example.com", "lovelace@example.com"));
    }

    [Fact]
    public void the_submitted_emails_are_diffed_against_the_current_ones()
    {
        var user = Given(Registered(), new SecondaryEmailAdded(Id(7), "keep@example.com"), new SecondaryEmailAdded(Id(8), "drop@example.com"));
        var events = ProfileChange.Decide(user, Patch("""{"emails": [{"email": "keep@example.com"}, {"email": "new@example.com"}]}"""));
        events.ShouldBe([new SecondaryEmailRemoved(Id(8), "drop@example.com"), new SecondaryEmailAdded(Id(1), "new@example.com")]);
    }

    [Fact]
    public void listing_the_primary_address_among_the_emails_adds_nothing()
    {
        var user = Given(Registered("ada@example.com"));
        ProfileChange.Decide(user, Patch("""{"emails": [{"email": "ADA@example.com"}]}""")).ShouldBeEmpty();
    }

    [Fact]
    public void null_emails_removes_every_secondary_address()
    {
        var user = Given(Registered(), new SecondaryEmailAdded(Id(7), "a@example.com"), new SecondaryEmailAdded(Id(8), "b@example.com"));
        ProfileChange.Decide(user, Patch("""{"emails": null}""")).ShouldBe([
            new SecondaryEmailRemoved(Id(7), "a@example.com"), new SecondaryEmailRemoved(Id(8), "b@example.com"),
        ]);
    }

    [Fact]
    public void promoting_a_secondary_address_releases_it_before_the_change_of_primary()
    {
        var user = Given(Registered("ada@example.com"), new SecondaryEmailAdded(Id(7), "work@example.com"));
        ProfileChange.Decide(user, Patch("""{"email": "work@example.com"}""")).ShouldBe([
            new SecondaryEmailRemoved(Id(7), "work@example.com"), new EmailChanged("ada@example.com", "work@example.com"),
        ]);
    }

    [Fact]
    public void swapping_primary_and_secondary_releases_before_it_claims()
    {
        var user = Given(Registered("ada@example.com"), new SecondaryEmailAdded(Id(7), "work@example.com"));
        ProfileChange.Decide(user, Patch("""{"email": "work@example.com", "emails": [{"email": "ada@example.com"}]}""")).ShouldBe([
            new SecondaryEmailRemoved(Id(7), "work@example.com"),
            new EmailChanged("ada@example.com", "work@example.com"),
            new SecondaryEmailAdded(Id(1), "ada@example.com"),
        ]);
    }

    [Fact]
    public void the_submitted_phone_numbers_are_diffed_against_the_current_ones()
    {
        var user = Given(Registered(), new PhoneNumberAdded(Id(7), "+14155552671"));
        ProfileChange.Decide(user, Patch("""{"phone_numbers": [{"phone_number": "+33612345678"}]}""")).ShouldBe([
            new PhoneNumberRemoved(Id(7), "+14155552671"), new PhoneNumberAdded(Id(1), "+33612345678"),
        ]);
        ProfileChange.Decide(user, Patch("""{"phone_numbers": null}""")).ShouldBe([new PhoneNumberRemoved(Id(7), "+14155552671")]);
    }

    [Fact]
    public void a_new_password_is_recorded_as_its_hash_only()
    {
        var user = Given(Registered());
        var patch = Patch("""{"password": "correct horse battery"}""") with { NewPasswordHash = "HASH" };
        var changed = ProfileChange.Decide(user, patch).ShouldHaveSingleItem().ShouldBeOfType<PasswordChanged>();
        changed.PasswordHash.ShouldBe("HASH");
    }

    [Fact]
    public void registration_keeps_bag_fields_in_the_first_event_and_decides_typed_ones_after_it()
    {
        var profile = JsonNode.Parse("""
            {"email": "ada@example.com", "password": "secret123", "first_name": "Ada", "middle_name": null, "is_active": false,
             "emails": [{"email": "two@example.com"}], "phone_numbers": [{"phone_number": "+14155552671"}]}
            """)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone());
        var n = 0;
        var events = Registration.Decide(UserId, "ada@example.com", profile, "HASH", () => Id(++n));

        var registered = events[0].ShouldBeOfType<UserRegistered>();
        registered.Profile.Keys.ShouldBe(["first_name"]);
        registered.PasswordHash.ShouldBe("HASH");
        events.Skip(1).ShouldBe([
            new SecondaryEmailAdded(Id(1), "two@example.com"), new PhoneNumberAdded(Id(2), "+14155552671"), new UserDeactivated(),
        ]);
    }
}
