using Users.Domain.Decisions;
using Users.Domain.Events;
using Users.Domain.History;

namespace Users.Domain.Tests.Decisions;

/// <summary>Emails and phone numbers through history, erasure and masking.</summary>
public sealed class ContactCollectionsTests
{
    private static readonly Guid UserId = Guid.CreateVersion7();
    private static readonly Guid First = Guid.CreateVersion7();
    private static readonly Guid Second = Guid.CreateVersion7();

    private static UserRegistered Registered() => new(UserId, "ada@example.com", new(), null);

    [Fact]
    public void history_shows_the_emails_and_phone_numbers_as_lists_before_and_after()
    {
        var changes = FieldHistory.Replay([
            Registered(),
            new SecondaryEmailAdded(First, "a@example.com"),
            new SecondaryEmailAdded(Second, "b@example.com"),
            new SecondaryEmailRemoved(First, "a@example.com"),
            new PhoneNumberAdded(First, "+14155552671"),
            new PhoneNumberRemoved(First, "+14155552671"),
        ]);
        changes[1]["emails"].From.ShouldBeNull();
        changes[1]["emails"].To!.ToJsonString().ShouldBe("""["a@example.com"]""");
        changes[2]["emails"].To!.ToJsonString().ShouldBe("""["a@example.com","b@example.com"]""");
        changes[3]["emails"].To!.ToJsonString().ShouldBe("""["b@example.com"]""");
        changes[4]["phone_numbers"].To!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["+14155552671"]);
        changes[5]["phone_numbers"].To.ShouldBeNull();
    }

    [Fact]
    public void erasure_names_the_collections_the_user_had()
    {
        var user = User.Create(Registered());
        user.Apply(UserAggregateTests.Appended(new SecondaryEmailAdded(First, "a@example.com")));
        user.Apply(new PhoneNumberAdded(Second, "+14155552671"));
        Erasure.Decide(user).ShouldHaveSingleItem().ShouldBeOfType<UserErased>().ErasedFields.ShouldBe(["email", "emails", "phone_numbers"]);

        user.Apply(new UserErased([]));
        (user.Emails.Count, user.PhoneNumbers.Count).ShouldBe((0, 0));
    }

    [Fact]
    public void masking_erases_the_addresses_and_numbers_but_keeps_the_ids()
    {
        PersonalData.Mask(new SecondaryEmailAdded(First, "a@example.com")).ShouldBe(new SecondaryEmailAdded(First, PersonalData.Erased));
        PersonalData.Mask(new SecondaryEmailRemoved(First, "a@example.com")).ShouldBe(new SecondaryEmailRemoved(First, PersonalData.Erased));
        PersonalData.Mask(new PhoneNumberAdded(First, "+14155552671")).ShouldBe(new PhoneNumberAdded(First, PersonalData.Erased));
        PersonalData.Mask(new PhoneNumberRemoved(First, "+14155552671")).ShouldBe(new PhoneNumberRemoved(First, PersonalData.Erased));
    }
}
