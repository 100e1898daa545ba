using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Contracts;
using Users.Projections;

namespace Users.Api.Messaging.AsyncApi;

/// <summary>
/// The AsyncAPI 3.0 document of what the service publishes, at <c>GET /asyncapi/v1.json</c> beside the OpenAPI
/// document, built from the code that publishes: the broker from the connection string, a channel per RabbitMQ
/// exchange (<see cref="RabbitMqRouting"/>), a message per contract of <see cref="IntegrationEvents.ContractTypes"/>
/// with its JSON Schema (<see cref="ContractSchemas"/>), its CloudEvents headers (<see cref="CloudEventAttributes"/>)
/// and an example (<see cref="ContractExamples"/>). docs/asyncapi.v1.json is a copy that a test keeps equal.
/// </summary>
public static class AsyncApiDocument
{
    public const string Route = "/asyncapi/v1.json";
    private const string AmqpBindingVersion = "0.3.0";
    private const string AllEventsChannel = "allEvents";
    private const string EnvelopeSchema = "MassTransitEnvelope";

    /// <summary>How the document is written: indented, and '+' or '&lt;' left readable.</summary>
    public static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void MapAsyncApi(this WebApplication app)
    {
        var document = new Lazy<string>(() => Build(
            RabbitMqNodes.From(app.Configuration.GetConnectionString("RabbitMq"), app.Configuration["RabbitMq:QueueType"]),
            app.Services.GetRequiredService<CloudEventAttributes>()).ToJsonString(Written));
        app.MapGet(Route, () => Results.Text(document.Value, "application/json"))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    public static JsonObject Build(RabbitMqNodes broker, CloudEventAttributes cloudEvents)
    {
        var contracts = IntegrationEvents.ContractTypes.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var vhost = VirtualHostOf(broker.First);
        var version = typeof(UserEvent).Assembly.GetName().Version!;

        var servers = new JsonObject();
        var nodes = broker.Endpoints.ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            servers[nodes.Count == 1 ? "rabbitmq" : $"rabbitmq-{i + 1}"] = new JsonObject
            {
                ["host"] = $"{nodes[i].Host}:{nodes[i].Port}",
                ["protocol"] = "amqp",
                ["protocolVersion"] = "0.9.1",
                ["title"] = "RabbitMQ",
                ["description"] = "The broker the API publishes to (a cluster lists each node); the channels' bindings " +
                                  "name the virtual host. Credentials are the operator's to give.",
            };
        }

        var channels = new JsonObject
        {
            [AllEventsChannel] = new JsonObject
            {
                ["address"] = RabbitMqRouting.AllEventsExchange,
                ["title"] = "Every event",
                ["description"] = "The topic exchange every integration event is published to, in commit order, with the " +
                                  "contract's name as routing key: bind with # for every event (each user's in version order), " +
                                  "or with a type's name.",
                ["messages"] = new JsonObject(contracts.Select(c => Entry(c.Name, MessageRef(c)))),
                ["bindings"] = ExchangeBinding(RabbitMqRouting.AllEventsExchange, "topic", vhost),
            },
        };
        foreach (var contract in contracts)
        {
            channels[contract.Name] = new JsonObject
            {
                ["address"] = IntegrationEvents.ExchangeName(contract),
                ["title"] = contract.Name,
                ["description"] = $"MassTransit's default exchange for {contract.FullName}: a MassTransit consumer of it is " +
                                  $"bound here by ConfigureEndpoints. Bound to {RabbitMqRouting.AllEventsExchange} with the " +
                                  $"routing key {RabbitMqRouting.TopicOf(contract)}.",
                ["messages"] = new JsonObject { [contract.Name] = MessageRef(contract) },
                ["bindings"] = ExchangeBinding(IntegrationEvents.ExchangeName(contract), "fanout", vhost),
            };
        }

        var operations = new JsonObject
        {
            ["publishEvents"] = new JsonObject
            {
                ["action"] = "send",
                ["channel"] = Ref($"#/channels/{AllEventsChannel}"),
                ["title"] = "Publish every integration event",
                ["description"] = "From the transactional outbox once the append committed; at least once, publisher-confirmed.",
                ["messages"] = new JsonArray([.. contracts.Select(c => Ref($"#/channels/{AllEventsChannel}/messages/{c.Name}"))]),
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject
                    {
                        ["cc"] = new JsonArray([.. contracts.Select(c => JsonValue.Create(RabbitMqRouting.TopicOf(c)))]),
                        ["deliveryMode"] = 2,
                        ["mandatory"] = false,
                        ["bindingVersion"] = AmqpBindingVersion,
                    },
                },
            },
        };
        foreach (var contract in contracts)
        {
            operations[$"publish{contract.Name}"] = new JsonObject
            {
                ["action"] = "send",
                ["channel"] = Ref($"#/channels/{contract.Name}"),
                ["title"] = $"Publish {contract.Name}",
                ["description"] = $"Routed on from {RabbitMqRouting.AllEventsExchange} by the broker.",
                ["messages"] = new JsonArray(Ref($"#/channels/{contract.Name}/messages/{contract.Name}")),
            };
        }

        var schemas = new JsonObject { [EnvelopeSchema] = Envelope() };
        var messages = new JsonObject();
        foreach (var contract in contracts)
        {
            schemas[contract.Name] = ContractSchemas.Of(contract);
            messages[contract.Name] = Message(contract, cloudEvents);
        }

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["id"] = "urn:users:integration-events",
            ["info"] = new JsonObject
            {
                ["title"] = "Users integration events",
                ["version"] = $"{version.Major}.{version.Minor}.{version.Build}",
                ["description"] = "Every event recorded on a user's stream, published to RabbitMQ through a transactional outbox: " +
                                  "at least once, each user's events in version order in normal operation (docs/events.md). " +
                                  "Bodies are MassTransit's JSON envelope with the contract in `message`; the contracts are the " +
                                  "NuGet package Users.Contracts of the same version. Every message carries its CloudEvents " +
                                  "attributes as AMQP headers (the CloudEvents AMQP binding, binary mode, prefix cloudEvents_).",
            },
            ["defaultContentType"] = CloudEventAttributes.DataContentType,
            ["servers"] = servers,
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject { ["schemas"] = schemas, ["messages"] = messages },
        };
    }

    private static JsonObject Message(Type contract, CloudEventAttributes cloudEvents)
    {
        // A contract still without an example is described all the same (AsyncApiDocumentTests names it).
        var example = ContractExamples.All.GetValueOrDefault(contract);
        var urn = $"urn:message:{contract.Namespace}:{contract.Name}";
        var message = new JsonObject
        {
            ["name"] = contract.Name,
            ["title"] = contract.Name,
            ["summary"] = ContractSchemas.SummaryOf(contract),
            ["contentType"] = CloudEventAttributes.DataContentType,
            ["headers"] = Headers(contract, cloudEvents),
            ["payload"] = new JsonObject
            {
                ["allOf"] = new JsonArray(
                    Ref($"#/components/schemas/{EnvelopeSchema}"),
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["messageType"] = new JsonObject { ["contains"] = new JsonObject { ["const"] = urn } },
                            ["message"] = Ref($"#/components/schemas/{contract.Name}"),
                        },
                    }),
            },
            ["correlationId"] = new JsonObject
            {
                ["description"] = "The request's correlation id, kept by every event appended in its wake.",
                ["location"] = "$message.payload#/message/correlation_id",
            },
            ["bindings"] = new JsonObject
            {
                ["amqp"] = new JsonObject { ["messageType"] = urn, ["bindingVersion"] = AmqpBindingVersion },
            },
        };
        if (example is null)
            return message;
        var headers = new JsonObject(cloudEvents.HeadersOf(example).Select(h => Entry(h.Key, JsonValue.Create(h.Value))));
        message["examples"] = new JsonArray(new JsonObject
        {
            ["name"] = contract.Name,
            ["headers"] = headers,
            ["payload"] = new JsonObject
            {
                ["messageId"] = $"08df4b25-8efa-ba29-321b-{example.Version:D12}",
                ["messageType"] = new JsonArray(urn),
                ["sentTime"] = CloudEventAttributes.TimeOf(example.OccurredAt.AddMilliseconds(42)),
                ["headers"] = headers.DeepClone(),
                ["message"] = ContractExamples.Json(example),
            },
        });
        return message;
    }

    /// <summary>The AMQP headers (application properties) every message carries.</summary>
    private static JsonObject Headers(Type contract, CloudEventAttributes cloudEvents)
    {
        static JsonObject Text(string description, JsonObject? more = null)
        {
            var schema = new JsonObject { ["type"] = "string", ["description"] = description };
            if (more is not null)
                foreach (var (key, value) in more)
                    schema[key] = value?.DeepClone();
            return schema;
        }
        const string p = CloudEventAttributes.Prefix;
        var properties = new JsonObject
        {
            [p + "specversion"] = Text("CloudEvents specversion.", new JsonObject { ["const"] = CloudEventAttributes.SpecVersion }),
            [p + "id"] = Text("CloudEvents id: the contract's event_id.", new JsonObject { ["format"] = "uuid" }),
            [p + "source"] = Text("CloudEvents source (setting Users:EventSource).", new JsonObject { ["format"] = "uri-reference", ["const"] = cloudEvents.Source }),
            [p + "type"] = Text("CloudEvents type.", new JsonObject { ["const"] = CloudEventAttributes.TypeOf(contract) }),
            [p + "subject"] = Text("CloudEvents subject: the contract's user_id.", new JsonObject { ["format"] = "uuid" }),
            [p + "time"] = Text("CloudEvents time: the contract's occurred_at, RFC 3339 in UTC.", new JsonObject { ["format"] = "date-time" }),
        };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "CloudEvents attributes, AMQP binding (binary mode): datacontenttype is the AMQP content-type.",
            ["required"] = new JsonArray([.. properties.Select(h => JsonValue.Create(h.Key))]),
            ["properties"] = properties,
        };
    }

    private static JsonObject Envelope() => new()
    {
        ["type"] = "object",
        ["description"] = "MassTransit's JSON envelope (application/vnd.masstransit+json). messageId and correlationId are " +
                          "transport ids; use the contract's event_id and correlation_id.",
        ["required"] = new JsonArray("messageId", "messageType", "message"),
        ["properties"] = new JsonObject
        {
            ["messageId"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            ["correlationId"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
            ["conversationId"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
            ["destinationAddress"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
            ["messageType"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string" },
                ["description"] = "urn:message:Users.Contracts:<TypeName>",
            },
            ["sentTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ["headers"] = new JsonObject { ["type"] = "object", ["description"] = "The AMQP headers again, CloudEvents attributes included." },
            ["host"] = new JsonObject { ["type"] = "object" },
            ["message"] = new JsonObject { ["description"] = "The contract." },
        },
    };

    private static JsonObject ExchangeBinding(string exchange, string type, string vhost) => new()
    {
        ["amqp"] = new JsonObject
        {
            ["is"] = "routingKey",
            ["exchange"] = new JsonObject
            {
                ["name"] = exchange,
                ["type"] = type,
                ["durable"] = true,
                ["autoDelete"] = false,
                ["vhost"] = vhost,
            },
            ["bindingVersion"] = AmqpBindingVersion,
        },
    };

    /// <summary>An amqp URI's path is its virtual host, escaped; none means "/".</summary>
    private static string VirtualHostOf(Uri node) =>
        node.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";

    private static JsonObject MessageRef(Type contract) => Ref($"#/components/messages/{contract.Name}");

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };

    private static KeyValuePair<string, JsonNode?> Entry(string key, JsonNode? value) => new(key, value);
}
