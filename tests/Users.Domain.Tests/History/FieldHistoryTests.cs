using System.Text.Json.Nodes;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.Events.Versions;
using Users.Domain.History;

namespace Users.Domain.Tests.History;

public sealed class FieldHistoryTests
{
    private static readonly Guid Id = Guid.CreateVersion7();

    private static string Render(IReadOnlyDictionary<string, FieldChange> changes) =>
        string.Join("; ", changes.Select(kv => $"{kv.Key}: {kv.Value.From?.ToJsonString() ?? "null"} -> {kv.Value.To?.ToJsonString() ?? "null"}"))
            .Replace('"', '\'');

    [Fact]
    public void each_event_reports_what_it_changed_against_the_state_before_it()
    {
        var history = FieldHistory.Replay(
        [
            new UserRegistered(Id, "ada@example.com", new() { ["first_name"] = "Ada" }, "hash-1"),
            new EmailVerificationRequested("ada@example.com", DateTimeOffset.UnixEpoch),
            new UserProfileUpdated(new() { ["first_name"] = new FieldChange("Ada", "Augusta"), ["last_name"] = new FieldChange(null, "King") }),
            new EmailChanged("ada@example.com", "augusta@example.com"),
            new EmailVerified("augusta@example.com"),
            new PasswordChanged("hash-2"),
            new UserProfileUpdated(new() { ["last_name"] = new FieldChange("King", null) }),
            new UserDeactivated(),
            new UserReactivated(),
        ]);

        history.Select(Render).ShouldBe(
        [
            "email: null -> 'ada@example.com'; email_verified: null -> false; first_name: null -> 'Ada'; is_active: null -> true; password: null -> '[redacted]'",
            "",
            "first_name: 'Ada' -> 'Augusta'; last_name: null -> 'King'",
            "email: 'ada@example.com' -> 'augusta@example.com'",
            "email_verified: false -> true",
            "password: '[redacted]' -> '[redacted]'",
            "last_name: 'King' -> null",
            "is_active: true -> false",
            "is_active: false -> true",
        ]);
    }

    [Fact]
    public void erasure_lists_every_field_it_removed_and_masked_events_keep_which_fields_changed()
    {
        var events = new object[]
        {
            new UserRegistered(Id, "ada@example.com", new() { ["first_name"] = "Ada" }, null),
            new UserProfileUpdated(new() { ["last_name"] = new FieldChange(null, "King") }),
            new EmailChanged("ada@example.com", "augusta@example.com"),
        };
        var user = new User { Id = Id, Email = "augusta@example.com", Profile = new() { ["first_name"] = "Ada", ["last_name"] = "King" } };
        var erased = Erasure.Decide(user).ShouldHaveSingleItem().ShouldBeOfType<UserErased>();
        erased.ErasedFields.ShouldBe(["email", "first_name", "last_name"]);

        var masked = events.Select(e => e switch
        {
            UserRegistered r => (object)PersonalData.Mask(r),
            UserProfileUpdated u => PersonalData.Mask(u),
            EmailChanged c => PersonalData.Mask(c),
            _ => e,
        }).Append(erased);

        FieldHistory.Replay(masked).Select(Render).ShouldBe(
        [
            "email: null -> '[erased]'; email_verified: null -> false; first_name: null -> '[erased]'; is_active: null -> true",
            "last_name: null -> '[erased]'",
            "email: '[erased]' -> '[erased]'",
            "email: '[erased]' -> null; first_name: '[erased]' -> null; is_active: true -> false; is_erased: null -> true; last_name: '[erased]' -> null",
        ]);
        Erasure.Decide(new User { Id = Id, IsErased = true }).ShouldBeEmpty();
    }

    [Fact]
    public void follows_name_the_user_added_or_removed()
    {
        var other = Guid.CreateVersion7();
        FieldHistory.Replay([new UserFollowed(other), new UserUnfollowed(other)]).Select(Render).ShouldBe(
        [
            $"following: null -> '{other}'",
            $"following: '{other}' -> null",
        ]);
    }

    [Fact]
    public void the_first_profile_update_shape_reads_as_the_current_one()
    {
        var current = new UserProfileUpdatedV1(new() { ["first_name"] = "Ada", ["last_name"] = null }).Upcast();
        current.Changes["first_name"].To!.GetValue<string>().ShouldBe("Ada");
        current.Changes["first_name"].From.ShouldBeNull();
        current.Changes["last_name"].To.ShouldBeNull();
    }
}
