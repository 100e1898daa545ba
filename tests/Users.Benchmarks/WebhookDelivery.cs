using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Users.Benchmarks;

/// <summary>One run of updates with N registered webhook endpoints: throughput, and commit → receipt per delivery.</summary>
public sealed record WebhookResult(int Endpoints, LoadResult Updates, Percentiles Delivery, int Expected, int Missing, int Duplicates);

/// <summary>
/// The webhook phase (<c>--only webhooks</c>): a receiver on loopback, N endpoints registered on it (each under its
/// own path), 16 clients updating distinct users; every acknowledged update is followed to each endpoint.
/// The API must allow http to 127.0.0.1 (scripts/bench.sh sets Webhooks__AllowHttp and Webhooks__AllowedHosts__0).
/// </summary>
public static class WebhookDelivery
{
    public static async Task<List<WebhookResult>> RunAsync(ApiClient api, Settings settings, CancellationToken ct)
    {
        using var receiver = new Receiver();
        var results = new List<WebhookResult>();
        foreach (var count in settings.WebhookEndpoints)
        {
            Console.WriteLine($"webhooks: {count} endpoint(s), {settings.WebhookClients} clients");
            await api.DeleteAllWebhooksAsync(ct);
            receiver.Clear();
            for (var i = 0; i < count; i++)
                await api.RegisterWebhookAsync($"{receiver.Url}{i}", ct);
            var users = await api.RegisterManyAsync(settings.WebhookClients, ct);
            var updates = await HttpLoad.UpdatesAsync($"update, {count} webhook endpoints", api, null, c => users[c],
                settings.WebhookClients, settings, ct);
            var committed = updates.Committed!;
            var expected = committed.Keys.SelectMany(k => Enumerable.Range(0, count).Select(e => (e, k.Item1, k.Item2))).ToHashSet();

            // Drain: until every acknowledged update reached every endpoint, or nothing arrived for 10 s (60 s at most).
            var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
            var last = -1;
            var quietSince = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < deadline && expected.Any(k => !receiver.Received.ContainsKey(k)))
            {
                await Task.Delay(100, ct);
                if (receiver.Received.Count != last)
                {
                    last = receiver.Received.Count;
                    quietSince = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetTimestamp() - quietSince > 10 * Stopwatch.Frequency)
                    break;
            }
            var delays = new List<long>();
            var missing = 0;
            foreach (var (endpoint, user, version) in expected)
            {
                if (receiver.Received.TryGetValue((endpoint, user, version), out var at))
                    delays.Add(Math.Max(0, at - committed[(user, version)]));
                else
                    missing++;
            }
            results.Add(new WebhookResult(count, updates, Percentiles.Of(delays), expected.Count, missing, receiver.Duplicates));
        }
        await api.DeleteAllWebhooksAsync(ct);
        return results;
    }

    /// <summary>Answers 204 at once and notes when each (endpoint, user, version) first arrived.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _duplicates;

        public string Url { get; }
        public ConcurrentDictionary<(int Endpoint, Guid User, long Version), long> Received { get; } = new();
        public int Duplicates => Volatile.Read(ref _duplicates);

        public Receiver()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook/";
            }
            _listener.Prefixes.Add(Url);
            _listener.Start();
            for (var i = 0; i < 8; i++)
                _ = Task.Run(LoopAsync);
        }

        public void Clear()
        {
            Received.Clear();
            Volatile.Write(ref _duplicates, 0);
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                var at = Stopwatch.GetTimestamp();
                try
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
                    var endpoint = int.Parse(context.Request.Url!.Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
                    var key = (endpoint, body["user_id"]!.GetValue<Guid>(), body["version"]!.GetValue<long>());
                    if (!Received.TryAdd(key, at))
                        Interlocked.Increment(ref _duplicates);
                    context.Response.StatusCode = 204;
                }
                catch (Exception)
                {
                    context.Response.StatusCode = 400;
                }
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Abort();
    }
}
