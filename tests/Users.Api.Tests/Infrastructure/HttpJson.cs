using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Users.Api.Tests.Infrastructure;

public static class HttpJson
{
    public static StringContent Body(object json) =>
        new(json is string s ? s : System.Text.Json.JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>
    /// The one request sender of the tests: a method, a body, and the headers a test may set. If-Match is sent as
    /// given, unchecked, so that a test can send a malformed one.
    /// </summary>
    public static Task<HttpResponseMessage> RequestAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content = null,
        string? ifMatch = null, string? correlationId = null, string? idempotencyKey = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (correlationId is not null)
            request.Headers.Add("X-Correlation-Id", correlationId);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object json, string? ifMatch = null) =>
        client.RequestAsync(HttpMethod.Patch, url, Body(json), ifMatch: ifMatch);

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object json) =>
        await client.PostAsync(url, Body(json));

    public static string UniqueEmail(string name = "user") => $"{name}.{Guid.NewGuid():N}@example.com";
}
