using System.Reflection;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Users.Domain;
using Users.Domain.Events;
using Users.Domain.History;
using Users.Projections;

namespace Users.Api.Tests.Auditing;

/// <summary>
/// <see cref="UserEventTypes.All"/> is the one list of event types; everything else that must know each event is
/// held to it here, so that a new event fails a test for every place it is still missing from. (Masking rules are
/// held to it by <see cref="PersonalDataMaskingTests"/>, which also fails on an event type left out of the list.)
/// </summary>
public sealed class EventTypeCatalogueTests
{
    /// <summary>Events <see cref="UserProfileProjection"/> has no Apply for, and why.</summary>
    private static readonly Dictionary<Type, string> NotInTheProfile = new()
    {
        [typeof(UserFollowed)] = "counted by FollowCountsProjection; the profile shows the counts",
        [typeof(UserUnfollowed)] = "counted by FollowCountsProjection; the profile shows the counts",
    };

    /// <summary>Events that change no field of the history, and why.</summary>
    private static readonly Dictionary<Type, string> NoFieldChange = new()
    {
        [typeof(EmailVerificationRequested)] = "a mail was sent; no field of the profile changes",
        [typeof(EmailVerificationResendRequested)] = "a mail was asked for; no field of the profile changes",
        [typeof(SecondaryEmailVerificationResendRequested)] = "a mail was asked for; no field of the profile changes",
        [typeof(PhoneNumberVerificationRequested)] = "a code was asked for; no field of the profile changes",
    };

    public static TheoryData<string> EventTypes() => [.. UserEventTypes.All.Select(t => t.Name)];

    [Fact]
    public void the_store_registers_exactly_the_listed_event_types_and_their_upcast_shapes()
    {
        var opts = new StoreOptions();
        opts.ConfigureUsersStore("Host=unused", "catalogue");
        var known = ((EventGraph)opts.Events).AllKnownEventTypes().Select(t => t.EventType).ToHashSet();
        UserEventTypes.All.ShouldAllBe(t => known.Contains(t));
        known.Where(t => t.Namespace == typeof(UserRegistered).Namespace).ShouldBe(UserEventTypes.All, ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void every_event_type_is_published_as_its_contract(string name)
    {
        var type = Type(name);
        var contract = IntegrationEvents.From(Appended(type));
        contract.ShouldNotBeNull($"IntegrationEvents.From has no case for {name}");
        contract.GetType().Name.ShouldBe(name);
        IntegrationEvents.ContractTypes.ShouldContain(contract.GetType());
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void every_event_type_is_applied_by_the_user_aggregate_and_the_profile_projection_or_listed_as_not_there(string name)
    {
        var type = Type(name);
        Handles(typeof(User), type).ShouldBeTrue($"User has no Create/Apply for {name}");
        if (!NotInTheProfile.ContainsKey(type))
            Handles(typeof(UserProfileProjection), type).ShouldBeTrue(
                $"UserProfileProjection has no Create/Apply for {name}: add one, or list it in NotInTheProfile with the reason");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void every_event_type_shows_in_the_field_history_or_is_listed_as_changing_no_field(string name)
    {
        var type = Type(name);
        if (NoFieldChange.ContainsKey(type))
            return;
        var e = Sample(type);
        // The user registered with the event's first text as address, so that an event about "the" address applies.
        var email = type.GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(e)).FirstOrDefault();
        var registered = new UserRegistered(Guid.NewGuid(), email ?? "someone@example.com", new() { ["first_name"] = "Ada" }, null);
        // Alone (from an empty state) or after a registration: one of them must show the change.
        var changes = FieldHistory.Replay([e])[^1].Count + FieldHistory.Replay([registered, e])[^1].Count;
        changes.ShouldBeGreaterThan(0, $"FieldHistory shows no change for {name}: add a case, or list it in NoFieldChange with the reason");
    }

    [Fact]
    public void the_checks_catch_an_event_type_nobody_handles()
    {
        var stranger = typeof(EventTypeCatalogueTests);
        Handles(typeof(User), stranger).ShouldBeFalse();
        IntegrationEvents.From(new Event<EventTypeCatalogueTests>(new EventTypeCatalogueTests())).ShouldBeNull();
        FieldHistory.Replay([new EventTypeCatalogueTests()])[^1].ShouldBeEmpty();
    }

    private static Type Type(string name) => UserEventTypes.All.Single(t => t.Name == name);

    private static object Sample(Type type) => PersonalDataMaskingTests.Sample(type, type.Name, [])!;

    private static IEvent Appended(Type type) =>
        (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), Sample(type))!;

    // Marten's conventions: Create or Apply taking the event, or IEvent<TEvent>.
    private static bool Handles(Type handler, Type eventType) =>
        handler.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name is "Create" or "Apply")
            .Any(m => m.GetParameters() is [var first, ..]
                      && (first.ParameterType == eventType || first.ParameterType == typeof(IEvent<>).MakeGenericType(eventType)));
}
