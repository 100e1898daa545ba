using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Users.Benchmarks;

/// <summary>
/// The benchmark's HTTP side: one pooled client per API node, as many connections as there are concurrent callers;
/// with several nodes each request goes to the next one (round robin, as a load balancer would).
/// </summary>
public sealed class ApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient[] _nodes;
    private int _next;

    private HttpClient Http => _nodes.Length == 1 ? _nodes[0] : _nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_nodes.Length)];

    public ApiClient(Settings settings)
    {
        _nodes = settings.ApiNodes.Select(node => NodeClient(node, settings)).ToArray();
    }

    private static HttpClient NodeClient(Uri node, Settings settings)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = node,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (settings.SigningKey is { Length: >= 32 } key)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken(key));
        return http;
    }

    public async Task<Guid> RegisterAsync(CancellationToken ct)
    {
        var body = new JsonObject { ["email"] = $"bench-{Guid.NewGuid():N}@bench.test", ["first_name"] = "Bench" };
        using var response = await Http.PostAsync("/api/v1/users", Content(body), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Registration answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
    }

    public async Task<Guid[]> RegisterManyAsync(int count, CancellationToken ct)
    {
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => ids[i] = await RegisterAsync(token));
        return ids;
    }

    /// <summary>A merge patch changing first_name; the stream version after it (from the ETag), or null when not 2xx.</summary>
    public async Task<(HttpStatusCode Status, long? Version)> UpdateAsync(Guid id, string firstName, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}")
        {
            Content = new StringContent($$"""{"first_name":"{{firstName}}"}""", Encoding.UTF8, Json),
        };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? VersionOf(response) : null);
    }

    public async Task<(HttpStatusCode Status, long? Version)> GetAsync(Guid id, CancellationToken ct)
    {
        using var response = await Http.GetAsync($"/api/v1/users/{id}", HttpCompletionOption.ResponseContentRead, ct);
        return (response.StatusCode, response.IsSuccessStatusCode ? VersionOf(response) : null);
    }

    private static long? VersionOf(HttpResponseMessage response) =>
        response.Headers.ETag is { } tag && long.TryParse(tag.Tag.Trim('"'), out var v) ? v : null;

    private static StringContent Content(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, Json);

    // HS256 JWT as docs/auth.md describes for development: sub, role=admin, iss/aud "users", exp.
    private static string AdminToken(string signingKey)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = B64(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["role"] = "admin",
            ["iss"] = "users",
            ["aud"] = "users",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds(),
        }.ToJsonString()));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    /// <summary>Registers a webhook endpoint for every event type (admin).</summary>
    public async Task RegisterWebhookAsync(string url, CancellationToken ct)
    {
        using var response = await _nodes[0].PostAsync("/api/v1/webhooks", Content(new JsonObject { ["url"] = url }), ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Webhook registration answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    public async Task DeleteAllWebhooksAsync(CancellationToken ct)
    {
        var list = JsonNode.Parse(await _nodes[0].GetStringAsync("/api/v1/webhooks", ct))!["items"]!.AsArray();
        foreach (var endpoint in list)
            (await _nodes[0].DeleteAsync($"/api/v1/webhooks/{endpoint!["id"]!.GetValue<Guid>()}", ct)).EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
            node.Dispose();
    }
}
