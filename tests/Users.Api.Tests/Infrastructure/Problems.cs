using System.Net;
using System.Text.Json.Nodes;

namespace Users.Api.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 document with the given status and returns it.</summary>
    public static async Task<JsonObject> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.ReadObjectAsync();
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        problem["type"]!.GetValue<string>().ShouldStartWith("https://");
        return problem;
    }

    public static IReadOnlyList<(string Path, string Message)> Errors(this JsonObject problem) =>
        problem["errors"]!.AsArray().Select(e => (e!["path"]!.GetValue<string>(), e["message"]!.GetValue<string>())).ToList();
}
