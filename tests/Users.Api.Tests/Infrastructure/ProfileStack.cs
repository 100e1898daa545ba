using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Marten;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// The stack without the notifications worker: nothing appends behind the tests' backs, so versions
/// and event counts are exactly what the requests caused.
/// </summary>
public sealed class ProfileStack : UsersStack
{
    protected override bool StartWorker => false;

    public async Task<JsonObject> RegisterAsync(object body)
    {
        var response = await Api.PostJsonAsync("/api/v1/users", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    public async Task<Guid> RegisterIdAsync(object? body = null) =>
        (await RegisterAsync(body ?? new { email = HttpJson.UniqueEmail() }))["id"]!.GetValue<Guid>();

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string body,
        string contentType = "application/json", string? ifMatch = null, string? idempotencyKey = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Api.RequestAsync(method, url, content, ifMatch: ifMatch, idempotencyKey: idempotencyKey);
    }

    public Task<HttpResponseMessage> PatchAsync(Guid id, string body, string? ifMatch = null, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Patch, $"/api/v1/users/{id}", body, ifMatch: ifMatch, idempotencyKey: idempotencyKey);

    public async Task<JsonObject> GetAsync(Guid id)
    {
        var response = await Api.GetAsync($"/api/v1/users/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    public async Task<int> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ProfileCollection : ICollectionFixture<ProfileStack>
{
    public const string Name = "profile";
}
