using System.Net.Http.Headers;

namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// Credentials in the form each seed dialect documents. PLACEHOLDERS until authentication lands: the API
/// does not check them yet. Once it does, BearerTokenFor becomes the stack's signed token for the user,
/// UserApiKeyFor a key issued to the user, and AdminApiKey the bootstrap admin key.
/// </summary>
public static class DialectCredentials
{
    public static string BearerTokenFor(this UsersStack stack, Guid userId) => $"placeholder-token-{userId:N}";

    public static string UserApiKeyFor(this UsersStack stack, Guid userId) => $"in-placeholder-{userId:N}";

    public static string AdminApiKey(this UsersStack stack) => "in-placeholder-admin";

    /// <summary>Sends a JSON body with the given method, optionally as a Bearer of the given token.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object json,
        string? bearer = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = HttpJson.Body(json) };
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client.SendAsync(request);
    }
}
