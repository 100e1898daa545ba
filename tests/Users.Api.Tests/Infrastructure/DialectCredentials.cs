
namespace Users.Api.Tests.Infrastructure;

/// <summary>
/// Credentials in the form each seed dialect documents: the user's own signed token, a key issued to the
/// user through the API (one per user, cached), and the bootstrap admin key. Send them from
/// <c>stack.AnonymousClient()</c>, which carries no credential of its own.
/// </summary>
public static class DialectCredentials
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, string> Keys = new();

    public static string BearerTokenFor(this UsersStack stack, Guid userId) => stack.Token(userId);

    public static string UserApiKeyFor(this UsersStack stack, Guid userId) =>
        Keys.GetOrAdd(userId, id => IssueKeyAsync(stack, id).GetAwaiter().GetResult());

    public static string AdminApiKey(this UsersStack stack) => stack.BootstrapAdminApiKey;

    private static async Task<string> IssueKeyAsync(UsersStack stack, Guid userId)
    {
        var response = await stack.Api.PostJsonAsync($"/api/v1/users/{userId}/api-keys", new { name = "dialect client" });
        response.EnsureSuccessStatusCode();
        return (await response.ReadObjectAsync())["key"]!.GetValue<string>();
    }

    /// <summary>Sends a JSON body with the given method, optionally as a Bearer of the given token.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object json,
        string? bearer = null) =>
        client.RequestAsync(method, url, HttpJson.Body(json), bearer: bearer);
}
