using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Domain.Events;

namespace Users.Domain.Tests.Events;

/// <summary>
/// The one list of personal values (PersonalData.Transform) serves masking, sealing and opening: sealing leaves no
/// personal value of any event readable, opening gives the event back exactly, and a masked or sealed event holds no
/// plaintext value any more.
/// </summary>
public sealed class PersonalDataTransformTests
{
    /// <summary>A reversible stand-in for encryption: the value in base64 behind a prefix.</summary>
    private static readonly PersonalData.Treatment Seal = new(
        text => "sealed:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
        json => JsonValue.Create("sealed:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()))));

    private static readonly PersonalData.Treatment Open = new(
        text => Encoding.UTF8.GetString(Convert.FromBase64String(text["sealed:".Length..])),
        json => JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(json.GetValue<string>()["sealed:".Length..]))));

    /// <summary>Text members that hold no personal data (as in Auditing/PersonalDataMaskingTests).</summary>
    private static readonly HashSet<string> NotPersonal = [$"{nameof(UserErased)}.{nameof(UserErased.ErasedFields)}"];

    public static TheoryData<string> EventTypes() => [.. UserEventTypes.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void sealing_leaves_no_personal_value_readable_and_opening_gives_the_event_back(string typeName)
    {
        var type = UserEventTypes.All.Single(t => t.Name == typeName);
        var values = new List<(string Member, string Value)>();
        var e = Sample(type, type.Name, values)!;

        var sealedEvent = PersonalData.Transform(e, Seal);
        var sealedJson = JsonSerializer.Serialize(sealedEvent, type);
        values.Where(v => !NotPersonal.Contains(v.Member) && sealedJson.Contains(v.Value, StringComparison.Ordinal))
            .Select(v => v.Member).ShouldBeEmpty($"{type.Name}: add its personal members to PersonalData.Transform");

        JsonSerializer.Serialize(PersonalData.Transform(sealedEvent, Open), type).ShouldBe(JsonSerializer.Serialize(e, type));
    }

    [Fact]
    public void holds_finds_plaintext_values_and_none_once_masked_or_sealed()
    {
        var e = new UserRegistered(Guid.NewGuid(), "ada@example.com",
            new Dictionary<string, JsonNode?> { ["first_name"] = "Ada", ["age"] = 36, ["nickname"] = null }, null);
        static bool Plain(string v) => v != PersonalData.Erased && !v.StartsWith("sealed:", StringComparison.Ordinal);

        PersonalData.Holds(e, Plain).ShouldBeTrue();
        PersonalData.Holds(PersonalData.Mask(e), Plain).ShouldBeFalse();
        PersonalData.Holds(PersonalData.Transform(e, Seal), Plain).ShouldBeFalse();
        PersonalData.Mask(e).Profile["nickname"].ShouldBeNull("a cleared value stays cleared");
        PersonalData.Holds(new UserFollowed(Guid.NewGuid()), _ => true).ShouldBeFalse("no personal member");
    }

    private static object? Sample(Type type, string member, List<(string Member, string Value)> values)
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
}
