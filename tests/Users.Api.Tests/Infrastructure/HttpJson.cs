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

    public static async Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Body(json) };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object json) =>
        await client.PostAsync(url, Body(json));

    public static string UniqueEmail(string name = "user") => $"{name}.{Guid.NewGuid():N}@example.com";
}
