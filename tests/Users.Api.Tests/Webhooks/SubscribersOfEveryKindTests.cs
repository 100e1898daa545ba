using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using StandardWebhooks;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Webhooks;

/// <summary>
/// One scripted session, two subscribers that share nothing with the service's code: a plain AMQP consumer
/// (RabbitMQ.Client, no MassTransit) and a webhook receiver on loopback. Both get every published event of every user,
/// in each user's version order, the AMQP one with valid CloudEvents attributes, the webhook one with valid signatures.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class SubscribersOfEveryKindTests(WebhookStack stack)
{
    [Fact]
    public async Task a_plain_amqp_consumer_and_a_webhook_receiver_both_get_every_event_in_user_order()
    {
        using var receiver = new WebhookReceiver();
        var (_, secret) = await stack.RegisterEndpointAsync(receiver.Url);
        var queue = "plain-amqp-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await new ConnectionFactory { Uri = new Uri(stack.RabbitMqUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue, "Users.Contracts", "#");

        // The session: three users registered, renamed three times each, interleaved.
        var users = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => stack.RegisterSettledAsync("every-kind")));
        foreach (var name in new[] { "Ada", "Grace", "Edsger" })
            foreach (var id in users)
                (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var amqp = new List<(JsonObject Message, IDictionary<string, object?> Headers)>();
        var webhook = new StandardWebhook(secret);
        foreach (var id in users)
        {
            var expected = await stack.PublishedVersionsAsync(id);
            expected.Count.ShouldBe(5, "registered, verification requested, three renames");

            var hooks = await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= expected.Count,
                what: $"every event of {id} at the webhook receiver");
            var messages = await Eventually.Until(async () =>
            {
                while (await channel.BasicGetAsync(queue, autoAck: true) is { } got)
                    amqp.Add((JsonNode.Parse(got.Body.Span)!["message"]!.AsObject(), got.BasicProperties.Headers!));
                return amqp.Where(m => m.Message["user_id"]!.GetValue<Guid>() == id).ToList();
            }, m => m.Count >= expected.Count, what: $"every event of {id} on the plain AMQP queue");

            hooks.Select(h => h.Version).ShouldBe(expected, "webhooks: each event once, in version order");
            messages.Select(m => m.Message["version"]!.GetValue<long>()).ShouldBe(expected, "AMQP: each event once, in version order");
            hooks.Select(h => h.EventId).ShouldBe(messages.Select(m => m.Message["event_id"]!.GetValue<Guid>()), "the same events");

            foreach (var hook in hooks)
                Should.NotThrow(() => webhook.Verify(hook.Body, hook.Headers));
            foreach (var (message, headers) in messages)
            {
                Header(headers, "cloudEvents_specversion").ShouldBe("1.0");
                Header(headers, "cloudEvents_id").ShouldBe(message["event_id"]!.GetValue<string>());
                Header(headers, "cloudEvents_subject").ShouldBe(id.ToString());
                Header(headers, "cloudEvents_source").ShouldBe("/users");
                Header(headers, "cloudEvents_type").ShouldStartWith("com.users.");
                Header(headers, "cloudEvents_type").ShouldEndWith(".v1");
                DateTimeOffset.Parse(Header(headers, "cloudEvents_time")).ShouldBe(message["occurred_at"]!.GetValue<DateTimeOffset>());
            }
        }
    }

    // RabbitMQ.Client hands string headers over as their UTF-8 bytes.
    private static string Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "";
}
