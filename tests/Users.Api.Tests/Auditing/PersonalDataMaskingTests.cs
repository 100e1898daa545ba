using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Users.Domain.Events;
using Users.Projections;

namespace Users.Api.Tests.Auditing;

/// <summary>
/// Every event type the store knows, filled with a distinctive value in every text member and run through the
/// store's masking rules as erasure runs them: no value may survive, except in members listed below as holding
/// no personal data. A new event type with a text member and no masking rule fails here.
/// </summary>
public sealed class PersonalDataMaskingTests
{
    /// <summary>Text members that never hold personal data, and why.</summary>
    private static readonly Dictionary<string, string> NotPersonal = new()
    {
        // The names of the erased fields (from the field catalogue), never their values.
        [$"{nameof(UserErased)}.{nameof(UserErased.ErasedFields)}"] = "field names",
        // Marten's own marker of an archived stream (the service archives none); its reason is the archiving code's.
        [$"{nameof(Archived)}.{nameof(Archived.Reason)}"] = "written by code",
    };

    private static readonly StoreOptions Store = ConfiguredStore();

    public static TheoryData<string> EventTypes() => [.. Events(Store).AllKnownEventTypes().Select(t => t.EventType.Name).Order()];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void masking_leaves_no_text_value_of_the_event_but_the_listed_ones(string eventTypeName)
    {
        var type = Events(Store).AllKnownEventTypes().Single(t => t.EventType.Name == eventTypeName).EventType;
        var values = new List<(string Member, string Value)>();
        var data = Sample(type, type.Name, values);
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), data)!;

        TryMask.Invoke(Events(Store), [e]);

        var masked = JsonSerializer.Serialize(e.Data, type);
        var survivors = values.Where(v => masked.Contains(v.Value, StringComparison.Ordinal) && !NotPersonal.ContainsKey(v.Member))
            .Select(v => v.Member).ToList();
        survivors.ShouldBeEmpty($"{type.Name} keeps these values after masking: add a rule to PersonalData (registered in " +
                                "MartenRegistration), or list the member in NotPersonal with the reason it holds no personal data.");
    }

    [Fact]
    public void every_type_of_the_events_namespace_is_a_registered_event_or_part_of_one()
    {
        var registered = Events(Store).AllKnownEventTypes().Select(t => t.EventType).ToHashSet();
        var parts = registered.SelectMany(MemberTypes).ToHashSet();
        var types = typeof(UserRegistered).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(UserRegistered).Namespace && t is { IsPublic: true } && !(t.IsAbstract && t.IsSealed));
        types.Where(t => !registered.Contains(t) && !parts.Contains(t)).ShouldBeEmpty("event types the store does not know (so nothing masks them)");
    }

    [Fact]
    public void the_check_catches_an_event_without_a_rule()
    {
        // What the theory would see for an unregistered type: the value survives.
        var e = new Event<UserRegistered>(new UserRegistered(Guid.NewGuid(), "caught@example.com", [], null));
        var bare = new StoreOptions();
        TryMask.Invoke(Events(bare), [e]).ShouldBe(false);
        e.Data.Email.ShouldBe("caught@example.com");
    }

    private static readonly MethodInfo TryMask = typeof(EventGraph).GetMethod("TryMask", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Marten's EventGraph.TryMask is gone: find how masking rules are applied now.");

    private static EventGraph Events(StoreOptions opts) => (EventGraph)opts.Events;

    private static StoreOptions ConfiguredStore()
    {
        var opts = new StoreOptions();
        opts.ConfigureUsersStore("Host=unused", "masking");
        return opts;
    }

    /// <summary>An instance with a distinct value in every text member (and in text held in JSON, lists and nested records).
    /// EventTypeCatalogueTests builds its events with it too.</summary>
    internal static object? Sample(Type type, string member, List<(string Member, string Value)> values)
    {
        if (type == typeof(string) || type == typeof(JsonNode))
        {
            var value = $"pii{values.Count}x{Guid.NewGuid():N}"[..20];
            values.Add((member, value));
            return type == typeof(string) ? value : JsonValue.Create(value);
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Sample(underlying, member, values);
        if (type.IsValueType)
            return type == typeof(Guid) ? Guid.NewGuid() : type == typeof(DateTimeOffset) ? DateTimeOffset.UnixEpoch : Activator.CreateInstance(type);
        if (type.IsGenericType && type.GetGenericArguments() is [var key, var item] && key == typeof(string))
        {
            // Keys are field names (the catalogue's), not personal data.
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, item))!;
            dictionary["first_name"] = Sample(item, member, values);
            return dictionary;
        }
        if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Sample(element, member, values));
            return list;
        }
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType, $"{type.Name}.{p.Name}", values)).ToArray());
    }

    private static IEnumerable<Type> MemberTypes(Type type) => type.GetProperties()
        .Select(p => p.PropertyType)
        .SelectMany(t => t.IsGenericType ? t.GetGenericArguments() : [t]);
}
