using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Users.Api.Messaging;
using Users.Api.Messaging.AsyncApi;
using Users.Api.Tests.Infrastructure;
using Users.Projections;

namespace Users.Api.Tests.Contracts;

/// <summary>
/// GET /asyncapi/v1.json describes every published contract, and docs/asyncapi.v1.json is that document: a contract
/// changed without the document fails here. Refresh it after reviewing the change:
/// <c>UPDATE_DOCS=1 dotnet test tests/Users.Api.Tests --filter FullyQualifiedName~AsyncApiDocument</c>, then commit it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AsyncApiDocumentTests(UsersStack stack)
{
    private const string Snapshot = "docs/asyncapi.v1.json";

    [Fact]
    public async Task the_served_document_is_the_checked_in_one()
    {
        var served = Normalized(await DocumentAsync());
        var path = Path.Combine(Repository.Root, Snapshot);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            await File.WriteAllTextAsync(path, served.ToJsonString(AsyncApiDocument.Written) + "\n");
        File.Exists(path).ShouldBeTrue($"{Snapshot} is missing; run with UPDATE_DOCS=1 to write it");
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        FirstDifference(snapshot, served, "#").ShouldBeNull(
            $"{Snapshot} differs from GET /asyncapi/v1.json: a contract, its docs, an example or an exchange changed without the " +
            "document. Review the change, then run UPDATE_DOCS=1 dotnet test tests/Users.Api.Tests --filter " +
            $"FullyQualifiedName~AsyncApiDocument and commit {Snapshot}.");
    }

    [Fact]
    public async Task every_published_contract_is_a_message_on_its_exchange_with_its_schema_headers_and_an_example()
    {
        var document = await DocumentAsync();
        document["asyncapi"]!.GetValue<string>().ShouldBe("3.0.0");
        var channels = document["channels"]!.AsObject();
        var messages = document["components"]!["messages"]!.AsObject();
        var schemas = document["components"]!["schemas"]!.AsObject();
        channels["allEvents"]!["address"]!.GetValue<string>().ShouldBe("Users.Contracts");

        IntegrationEvents.ContractTypes.ShouldNotBeEmpty();
        messages.Select(m => m.Key).ShouldBe(IntegrationEvents.ContractTypes.Select(t => t.Name), ignoreOrder: true);
        foreach (var contract in IntegrationEvents.ContractTypes)
        {
            var name = contract.Name;
            channels["allEvents"]!["messages"]!.AsObject().ContainsKey(name).ShouldBeTrue($"{name} is not on Users.Contracts");
            channels[name]!["address"]!.GetValue<string>().ShouldBe($"Users.Contracts:{name}");
            channels[name]!["bindings"]!["amqp"]!["exchange"]!["type"]!.GetValue<string>().ShouldBe("fanout");
            channels[name]!["messages"]![name]!["$ref"]!.GetValue<string>().ShouldBe($"#/components/messages/{name}");

            // The schema names exactly the JSON properties the type writes, all required.
            var properties = JsonNames(contract);
            var schema = schemas[name]!;
            schema["properties"]!.AsObject().Select(p => p.Key).ShouldBe(properties, ignoreOrder: true, customMessage: name);
            schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(properties, ignoreOrder: true, customMessage: name);
            schema["description"].ShouldNotBeNull($"{name} has no description (its XML doc summary)");

            var message = messages[name]!;
            message["payload"]!["allOf"]![1]!["properties"]!["message"]!["$ref"]!.GetValue<string>().ShouldBe($"#/components/schemas/{name}");
            message["headers"]!["properties"]!["cloudEvents_type"]!["const"]!.GetValue<string>().ShouldBe(CloudEventAttributes.TypeOf(contract));
            message["bindings"]!["amqp"]!["messageType"]!.GetValue<string>().ShouldBe($"urn:message:Users.Contracts:{name}");

            // The example is complete: every property of the contract, its CloudEvents headers agreeing with it.
            message["examples"].ShouldNotBeNull($"{name} has no example: add one to ContractExamples");
            var example = message["examples"]![0]!;
            var body = example["payload"]!["message"]!.AsObject();
            body.Select(p => p.Key).ShouldBe(properties, ignoreOrder: true, customMessage: $"{name}'s example");
            example["headers"]!["cloudEvents_type"]!.GetValue<string>().ShouldBe(CloudEventAttributes.TypeOf(contract));
            example["headers"]!["cloudEvents_id"]!.GetValue<string>().ShouldBe(body["event_id"]!.GetValue<string>());
            example["headers"]!["cloudEvents_subject"]!.GetValue<string>().ShouldBe(body["user_id"]!.GetValue<string>());
        }
    }

    private async Task<JsonObject> DocumentAsync()
    {
        var response = await stack.AnonymousClient().GetAsync("/asyncapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The broker's address and virtual host are this stack's; the snapshot names the defaults.</summary>
    private static JsonObject Normalized(JsonObject document)
    {
        foreach (var (_, server) in document["servers"]!.AsObject())
            server!["host"] = "localhost:5672";
        foreach (var (_, channel) in document["channels"]!.AsObject())
            channel!["bindings"]!["amqp"]!["exchange"]!["vhost"] = "/";
        return document;
    }

    private static List<string> JsonNames(Type contract) => contract
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name)
        .ToList();

    /// <summary>The JSON pointer of the first place the two differ, with both values; null when equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject e && actual is JsonObject a)
        {
            foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
            {
                if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    return $"{path}/{key}: {(e.ContainsKey(key) ? "only in the snapshot" : "only in the served document")}";
                if (FirstDifference(e[key], a[key], $"{path}/{key}") is { } difference)
                    return difference;
            }
            return null;
        }
        if (expected is JsonArray ea && actual is JsonArray aa)
        {
            if (ea.Count != aa.Count)
                return $"{path}: {ea.Count} items in the snapshot, {aa.Count} served";
            for (var i = 0; i < ea.Count; i++)
                if (FirstDifference(ea[i], aa[i], $"{path}/{i}") is { } difference)
                    return difference;
            return null;
        }
        return JsonNode.DeepEquals(expected, actual) ? null
            : $"{path}: snapshot {expected?.ToJsonString() ?? "null"}, served {actual?.ToJsonString() ?? "null"}";
    }
}
