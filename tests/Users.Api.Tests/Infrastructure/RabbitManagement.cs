using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Users.Api.Tests.Infrastructure;

/// <summary>Reads queue figures from RabbitMQ's management API (statistics lag by up to ~5 s).</summary>
public static class RabbitManagement
{
    public static async Task<JsonObject?> QueueAsync(string amqpUri, string queue)
    {
        var uri = new Uri(amqpUri);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var user = string.IsNullOrEmpty(uri.UserInfo) ? "guest:guest" : Uri.UnescapeDataString(uri.UserInfo);
        var management = Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_URL") ?? "http://127.0.0.1:15672";
        using var http = new HttpClient { BaseAddress = new Uri(management) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        var response = await http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>How many deliveries the queue's consumers have acknowledged so far.</summary>
    public static async Task<long> AcknowledgedAsync(string amqpUri, string queue) =>
        (await QueueAsync(amqpUri, queue))?["message_stats"]?["ack"]?.GetValue<long>() ?? 0;

    /// <summary>Messages in the queue (ready + unacknowledged).</summary>
    public static async Task<long> MessagesAsync(string amqpUri, string queue) =>
        (await QueueAsync(amqpUri, queue))?["messages"]?.GetValue<long>() ?? 0;
}
