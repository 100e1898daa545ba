using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Dialects;

/// <summary>Who calls: the user themselves, another user, nobody, a credential that does not hold, an admin.</summary>
public enum Caller
{
    Self,
    Other,
    Nobody,
    Forged,
    Admin,
}

/// <summary>
/// One seed dialect's update as its client sends it: method, path, body wrapper and credential form (seed 000's
/// key in the query, Bearer tokens for the others), so that a test can aim any request at any dialect.
/// </summary>
public sealed record DialectCall(string Name, HttpMethod Method, Func<string, string> Path, string MalformedId, bool KeyInQuery = false,
    bool WrapsInUser = false)
{
    public static readonly DialectCall Seed000 = new("seed-000", HttpMethod.Put, id => $"/api/v1/user/{id}", "not-a-uuid", KeyInQuery: true);
    public static readonly DialectCall Seed002 = new("seed-002", HttpMethod.Patch, id => $"/users/{id}", "d81c8ee2");
    public static readonly DialectCall Seed003 = new("seed-003", HttpMethod.Put, id => $"/v1/auth/users/{id}/update", "user_24wFP9pDa9YiMJLun94iKykoZs2");
    public static readonly DialectCall Seed004 = new("seed-004", HttpMethod.Put, id => $"/users/{id}", "1", WrapsInUser: true);

    public static readonly IReadOnlyList<DialectCall> All = [Seed000, Seed002, Seed003, Seed004];

    public static DialectCall Named(string name) => All.Single(d => d.Name == name);

    /// <summary>The fields as this dialect's body carries them (seed 004 inside <c>user</c>).</summary>
    public string Body(JsonObject fields) => (WrapsInUser ? new JsonObject { ["user"] = fields } : fields).ToJsonString();

    public Task<HttpResponseMessage> SendAsync(UsersStack stack, string id, Caller caller, Guid self, Guid other, HttpContent? content,
        HttpMethod? method = null, string? ifMatch = null)
    {
        var path = Path(id);
        var request = new HttpRequestMessage(method ?? Method, path) { Content = content };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        var key = caller switch
        {
            Caller.Self => KeyInQuery ? stack.UserApiKeyFor(self) : stack.BearerTokenFor(self),
            Caller.Other => KeyInQuery ? stack.UserApiKeyFor(other) : stack.BearerTokenFor(other),
            Caller.Forged => KeyInQuery ? "in-forged" : stack.Token(self, signingKey: "another-signing-key-of-enough-length-" + Guid.NewGuid()),
            Caller.Admin => KeyInQuery ? stack.AdminApiKey() : stack.Token(Guid.CreateVersion7(), "admin"),
            _ => null,
        };
        if (key is not null && KeyInQuery)
            request.RequestUri = new Uri($"{path}?api_key={Uri.EscapeDataString(key)}", UriKind.Relative);
        else if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return stack.AnonymousClient().SendAsync(request);
    }

    public Task<HttpResponseMessage> SendJsonAsync(UsersStack stack, Guid id, Caller caller, Guid other, JsonObject fields, string? ifMatch = null) =>
        SendAsync(stack, id.ToString(), caller, id, other, Json(Body(fields)), ifMatch: ifMatch);

    public static StringContent Json(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);
}
