using System.Globalization;
using System.Text.Json;
using Users.Contracts;

namespace Users.Api.Messaging;

/// <summary>
/// The CloudEvents 1.0 attributes of an integration message, written as AMQP headers beside MassTransit's envelope so
/// that a consumer in any language reads id, type and subject without parsing the body. This is the binary content
/// mode of the CloudEvents AMQP binding: every attribute but <c>datacontenttype</c> is an application property
/// (an AMQP 0-9-1 header) named with the prefix <c>cloudEvents_</c> (§3.1.3.1, the separator the binding prefers
/// over ':'); <c>datacontenttype</c> is the message's content-type (§3.1.1), MassTransit's
/// <c>application/vnd.masstransit+json</c>, since the event data is the envelope. Values are canonical strings.
/// </summary>
public sealed class CloudEventAttributes
{
    public const string Prefix = "cloudEvents_";
    public const string SpecVersion = "1.0";
    /// <summary>The AMQP content-type, i.e. the <c>datacontenttype</c>: the body is MassTransit's JSON envelope.</summary>
    public const string DataContentType = "application/vnd.masstransit+json";
    public const string SourceSetting = "Users:EventSource";
    public const string DefaultSource = "/users";

    /// <summary>The <c>source</c> of every event: <see cref="SourceSetting"/>, a URI reference, "/users" unless configured.</summary>
    public string Source { get; }

    public CloudEventAttributes(string source)
    {
        if (string.IsNullOrWhiteSpace(source) || !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _))
            throw new InvalidOperationException($"{SourceSetting} must be a URI reference (e.g. /users or urn:users:eu-1), not '{source}'.");
        Source = source;
    }

    public static CloudEventAttributes From(IConfiguration config) => new(config[SourceSetting] ?? DefaultSource);

    /// <summary>The <c>type</c> of a contract: reverse-DNS, snake_case name, and the contract's major version
    /// (contracts change additively, so v1 until a change breaks them and a new type is published beside).</summary>
    public static string TypeOf(Type contract) => $"com.users.{JsonNamingPolicy.SnakeCaseLower.ConvertName(contract.Name)}.v1";

    /// <summary>The headers of one message, each name with its <see cref="Prefix"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HeadersOf(UserEvent message) =>
    [
        new(Prefix + "specversion", SpecVersion),
        new(Prefix + "id", message.EventId.ToString()),
        new(Prefix + "source", Source),
        new(Prefix + "type", TypeOf(message.GetType())),
        new(Prefix + "subject", message.UserId.ToString()),
        new(Prefix + "time", TimeOf(message.OccurredAt)),
    ];

    /// <summary>RFC 3339 in UTC, to the tick: the same instant as the contract's <c>occurred_at</c>.</summary>
    public static string TimeOf(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
