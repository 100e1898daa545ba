using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Users.Api.Tests.Webhooks;

/// <summary>
/// A webhook receiver on loopback (HttpListener): keeps every request it answered 2xx, in arrival order, and can
/// answer 500 (<see cref="Failing"/>) or be down altogether (<see cref="Stop"/>, <see cref="Start"/>).
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private HttpListener? _listener;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _refused;

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hook";
    /// <summary>While true, every request is answered 500 and not kept.</summary>
    public volatile bool Failing;
    public int Refused => Volatile.Read(ref _refused);
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public WebhookReceiver() => Start();

    public void Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => LoopAsync(listener));
    }

    public void Stop()
    {
        var listener = Interlocked.Exchange(ref _listener, null);
        listener?.Abort();
    }

    private async Task LoopAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Failing)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 500;
            }
            else
            {
                var headers = new HeaderDictionary();
                foreach (var name in context.Request.Headers.AllKeys)
                    headers[name!] = context.Request.Headers[name];
                _received.Enqueue(new ReceivedWebhook(body, headers, DateTimeOffset.UtcNow));
                context.Response.StatusCode = 204;
            }
            context.Response.Close();
        }
    }

    /// <summary>The received deliveries of one user, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Of(Guid userId) => [.. Received.Where(r => r.UserId == userId)];

    public void Dispose() => Stop();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Body, IHeaderDictionary Headers, DateTimeOffset At)
{
    private JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public Guid UserId => Json["user_id"]!.GetValue<Guid>();
    public long Version => Json["version"]!.GetValue<long>();
    public Guid EventId => Json["event_id"]!.GetValue<Guid>();
    public string Header(string name) => Headers[name].ToString();
}
