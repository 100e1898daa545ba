using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Users.Api.Tests.Infrastructure;

/// <summary>Reads queue figures from RabbitMQ's management API (statistics lag by up to ~5 s).</summary>
public static class RabbitManagement
{
    public static async Task<JsonObject?> QueueAsync(string amqpUri, string queue)
    {
        var (http, vhost) = Client(amqpUri);
        using var _ = http;
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

    /// <summary>Every queue of the URI's virtual host.</summary>
    public static async Task<List<string>> QueueNamesAsync(string amqpUri)
    {
        var (http, vhost) = Client(amqpUri);
        using var _ = http;
        var queues = JsonNode.Parse(await http.GetStringAsync($"/api/queues/{Uri.EscapeDataString(vhost)}?columns=name"))!.AsArray();
        return queues.Select(q => q!["name"]!.GetValue<string>()).ToList();
    }

    /// <summary>
    /// The bodies of the messages ready in a queue, read without taking them (the management API's get with
    /// requeue: each goes back to the queue).
    /// </summary>
    public static async Task<List<string>> PeekAsync(string amqpUri, string queue, int count = 10_000)
    {
        var (http, vhost) = Client(amqpUri);
        using var _ = http;
        var response = await http.PostAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}/get",
            new StringContent($$"""{"count":{{count}},"ackmode":"ack_requeue_true","encoding":"auto","truncate":1000000}""",
                Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()
            .Select(m => m!["payload_encoding"]!.GetValue<string>() == "base64"
                ? Encoding.UTF8.GetString(Convert.FromBase64String(m["payload"]!.GetValue<string>()))
                : m["payload"]!.GetValue<string>())
            .ToList();
    }

    private static (HttpClient Http, string Vhost) Client(string amqpUri)
    {
        var uri = new Uri(amqpUri);
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return (ClientOf(ManagementUrl, amqpUri), vhost);
    }

    /// <summary>The management API of the dev broker (<c>RABBITMQ_MANAGEMENT_URL</c>, as services.sh env prints it).</summary>
    public static string ManagementUrl => Environment.GetEnvironmentVariable("RABBITMQ_MANAGEMENT_URL") ?? "http://127.0.0.1:15672";

    /// <summary>A client of a management API, signed in as the AMQP URI's user (guest without one).</summary>
    public static HttpClient ClientOf(string managementUrl, string amqpUri = "amqp://guest:guest@localhost")
    {
        var userInfo = new Uri(amqpUri.Split(',')[0]).UserInfo;
        var user = string.IsNullOrEmpty(userInfo) ? "guest:guest" : Uri.UnescapeDataString(userInfo);
        var http = new HttpClient { BaseAddress = new Uri(managementUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        return http;
    }
}
