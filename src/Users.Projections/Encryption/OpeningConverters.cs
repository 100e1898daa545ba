using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Users.Domain.Events;

namespace Users.Projections.Encryption;

/// <summary>
/// Makes decryption transparent to every reader of the event store (aggregates, inline projections, time travel,
/// history, the feed, rebuilds, the worker): registered on the store's serializer, it reads each user event as
/// stored and opens its personal values (<see cref="PersonalData.Transform"/>, the same list sealing used), and
/// opens the sealed members of the <c>provenance</c> header. Only event types and event headers: documents are
/// read as stored, so a value someone typed that looks sealed is never opened. Writing is unchanged (sealing
/// happens before, in <see cref="PersonalDataSealing"/>).
/// </summary>
public sealed class OpeningConverters(DataKeys keys) : JsonConverterFactory
{
    private static readonly HashSet<Type> EventTypes = [.. UserEventTypes.All];
    private readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> _plain = new();

    public override bool CanConvert(Type typeToConvert) =>
        EventTypes.Contains(typeToConvert) || typeToConvert == typeof(Dictionary<string, object>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var plain = Plain(options);
        return typeToConvert == typeof(Dictionary<string, object>)
            ? new HeadersConverter(keys, plain)
            : (JsonConverter)Activator.CreateInstance(typeof(EventConverter<>).MakeGenericType(typeToConvert), keys, plain)!;
    }

    /// <summary>The store's options without this factory: how the values are read and written as stored.</summary>
    public JsonSerializerOptions Plain(JsonSerializerOptions options) => _plain.GetValue(options, o =>
    {
        var copy = new JsonSerializerOptions(o);
        copy.Converters.Remove(this);
        return copy;
    });

    private sealed class EventConverter<T>(DataKeys keys, JsonSerializerOptions plain) : JsonConverter<T> where T : notnull
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (T)PersonalData.Transform(JsonSerializer.Deserialize<T>(ref reader, plain)!, keys.Opening);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, plain);
    }

    private sealed class HeadersConverter(DataKeys keys, JsonSerializerOptions plain) : JsonConverter<Dictionary<string, object>>
    {
        public override Dictionary<string, object>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var headers = JsonSerializer.Deserialize<Dictionary<string, object>>(ref reader, plain);
            if (headers is null || !headers.TryGetValue(Provenance.Header, out var provenance) || provenance is null)
                return headers;
            // Back in whatever shape the store reads an untyped header value as, so readers see no difference.
            // Default options: the store's reading options turn untyped JSON into values they cannot write back.
            var json = JsonSerializer.Serialize(provenance, provenance.GetType(), JsonSerializerOptions.Default);
            if (json.Contains(SealedValue.Prefix, StringComparison.Ordinal)
                && Provenance.Transform(json, text => SealedValue.LooksSealed(text) ? keys.OpenText(text) : text) is { } opened)
                headers[Provenance.Header] = JsonSerializer.Deserialize<object>(opened.ToJsonString(), plain)!;
            return headers;
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, object> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, plain);
    }
}
