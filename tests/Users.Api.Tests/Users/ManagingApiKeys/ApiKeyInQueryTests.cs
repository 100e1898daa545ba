using Microsoft.AspNetCore.Http;
using Users.Api.Auth;

namespace Users.Api.Tests.Authorization;

/// <summary>Where a key may come from: the header always, the query string only on endpoints that opt in.</summary>
public sealed class ApiKeyInQueryTests
{
    [Fact]
    public void the_query_key_counts_only_on_an_endpoint_that_accepts_it()
    {
        var optedIn = Request("?api_key=in-from-query", new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new AcceptsApiKeyInQuery()), "seed"));
        var plain = Request("?api_key=in-from-query", new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "canonical"));

        ApiKeyAuthenticationHandler.PresentedKey(optedIn).ShouldBe("in-from-query");
        ApiKeyAuthenticationHandler.PresentedKey(plain).ShouldBeNull();
    }

    [Fact]
    public void the_header_key_wins_over_the_query_key()
    {
        var http = Request("?api_key=in-from-query", new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new AcceptsApiKeyInQuery()), "seed"));
        http.Request.Headers[ApiKeyAuthenticationHandler.Header] = "in-from-header";

        ApiKeyAuthenticationHandler.PresentedKey(http).ShouldBe("in-from-header");
    }

    private static HttpContext Request(string query, Endpoint endpoint)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        http.SetEndpoint(endpoint);
        return http;
    }
}
