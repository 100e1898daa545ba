using System.Text.Json.Nodes;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain.Tests.Decisions;

public sealed class EmailChangeCapTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly EmailChangeCap FivePerHour = new(5);

    private static User ChangedAt(params int[] minutesAfterNoon)
    {
        var user = User.Create(new UserRegistered(Guid.CreateVersion7(), "a0@example.com", new Dictionary<string, JsonNode?>(), null));
        var n = 0;
        foreach (var minutes in minutesAfterNoon)
            user.Apply(UserAggregateTests.Appended(new EmailChanged(user.Email, $"a{++n}@example.com"), Noon.AddMinutes(minutes)));
        return user;
    }

    private static ProfilePatch Patch(string json) =>
        new(JsonNode.Parse(json)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()));

    [Fact]
    public void a_sixth_change_of_address_within_the_hour_is_refused_whole_until_the_first_is_an_hour_old()
    {
        var user = ChangedAt(0, 10, 20, 30, 40);
        var patch = Patch("""{"email": "next@example.com", "first_name": "Ada"}""");

        var (events, refused) = ProfileChange.Decide(user, patch, FivePerHour, Noon.AddMinutes(50));

        events.ShouldBeEmpty();
        refused.ShouldBe(new EmailChangeRefused(5, Noon.AddHours(1)));

        var (later, none) = ProfileChange.Decide(user, patch, FivePerHour, Noon.AddMinutes(61));
        none.ShouldBeNull();
        later.ShouldContain(e => e is EmailChanged);
    }

    [Fact]
    public void under_the_cap_or_without_a_change_of_address_nothing_is_refused()
    {
        var (events, refused) = ProfileChange.Decide(ChangedAt(0, 10, 20, 30), Patch("""{"email": "next@example.com"}"""), FivePerHour, Noon.AddMinutes(50));
        refused.ShouldBeNull();
        events.ShouldHaveSingleItem().ShouldBeOfType<EmailChanged>();

        // At the cap, other fields still change (and a case-only edit is no change of address).
        var capped = ChangedAt(0, 10, 20, 30, 40);
        var (others, notRefused) = ProfileChange.Decide(capped, Patch("""{"email": "A5@EXAMPLE.COM", "first_name": "Ada"}"""), FivePerHour, Noon.AddMinutes(50));
        notRefused.ShouldBeNull();
        others.ShouldHaveSingleItem().ShouldBeOfType<UserProfileUpdated>();

        EmailChangeCap.None.NextAllowed(capped.EmailChangedAt, Noon.AddMinutes(50)).ShouldBeNull();
    }

    [Fact]
    public void the_user_remembers_the_times_of_its_latest_changes_of_address_only()
    {
        var user = ChangedAt([.. Enumerable.Range(0, EmailChangeCap.MaxPerHour + 20)]);

        user.EmailChangedAt.Count.ShouldBe(EmailChangeCap.MaxPerHour);
        user.EmailChangedAt[^1].ShouldBe(Noon.AddMinutes(EmailChangeCap.MaxPerHour + 19));
        Should.Throw<ArgumentOutOfRangeException>(() => new EmailChangeCap(EmailChangeCap.MaxPerHour + 1));
    }
}
