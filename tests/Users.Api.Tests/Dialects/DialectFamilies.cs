using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Dialects;

/// <summary>
/// The error shape of each seed's family, checked field by field (names, types, nesting): seed 000/001's
/// <c>{message, meta, data}</c>, the Upsun object (seed 002), the Streambird object (seed 003), and seed 004's
/// <c>{status, message}</c> (with <c>errors</c> on 422). Never problem details.
/// </summary>
public static class DialectFamilies
{
    public static async Task<JsonObject> ShouldBeInFamilyAsync(this HttpResponseMessage response, string dialect, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"{dialect}: {text}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", $"{dialect} {(int)status}: {text}");
        var json = JsonNode.Parse(text).ShouldBeOfType<JsonObject>();
        var code = (int)status;
        switch (dialect)
        {
            case "seed-000":
                json.Select(kv => kv.Key).ShouldBe(["message", "meta", "data"], text);
                json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
                var meta = json["meta"].ShouldBeOfType<JsonObject>();
                meta.Select(kv => kv.Key).ShouldBe(["status", "errors"], text);
                meta["status"]!.GetValue<int>().ShouldBe(code);
                ShouldBeFieldErrors(meta["errors"]);
                json["data"].ShouldBeNull();
                break;
            case "seed-002":
                ShouldBeUpsunError(json, code, text);
                break;
            case "seed-003":
                json.Select(kv => kv.Key).ShouldBe(["status_code", "error_type", "error_message", "errors"], text);
                json["status_code"]!.GetValue<int>().ShouldBe(code);
                json["error_type"]!.GetValue<string>().ShouldMatch("^[a-z]+(_[a-z]+)*$");
                json["error_message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
                ShouldBeFieldErrors(json["errors"]);
                break;
            case "seed-004":
                json.Select(kv => kv.Key).ShouldBe(code == 422 ? ["status", "message", "errors"] : ["status", "message"], text);
                json["status"]!.GetValue<string>().ShouldBe("error");
                json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
                if (code == 422)
                    ShouldBeFieldErrors(json["errors"]);
                break;
            default:
                throw new ArgumentException(dialect);
        }
        return json;
    }

    /// <summary>
    /// The Upsun object: <c>{status: "error", code, title, message, detail: {field: message}}</c>. Paths that
    /// seed 002 and seed 004 share (<c>/users/…</c>) answer with it where no endpoint matched, and it reads as
    /// seed 004's <c>{status, message}</c> too.
    /// </summary>
    public static void ShouldBeUpsunError(JsonObject json, int code, string text)
    {
        json.Select(kv => kv.Key).ShouldBe(["status", "code", "title", "message", "detail"], text);
        json["status"]!.GetValue<string>().ShouldBe("error");
        json["code"]!.GetValue<int>().ShouldBe(code);
        json["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["detail"].ShouldBeOfType<JsonObject>().ShouldAllBe(kv => kv.Value!.GetValueKind() == JsonValueKind.String);
    }

    /// <summary>The field paths a family's error names, in its own notation.</summary>
    public static IReadOnlyList<string> FieldPaths(string dialect, JsonObject json) => dialect switch
    {
        "seed-000" => Paths(json["meta"]!["errors"]),
        "seed-002" => json["detail"]!.AsObject().Select(kv => kv.Key).ToList(),
        "seed-003" => Paths(json["errors"]),
        _ => Paths(json["errors"]),
    };

    private static List<string> Paths(JsonNode? errors) => errors!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();

    private static void ShouldBeFieldErrors(JsonNode? errors)
    {
        foreach (var error in errors.ShouldBeOfType<JsonArray>())
        {
            error.ShouldBeOfType<JsonObject>().Select(kv => kv.Key).ShouldBe(["path", "message"]);
            error!["path"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            error["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
    }

    public static async Task ShouldBeProblemDetailsAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", text);
        var json = await response.ReadObjectAsync();
        json["status"]!.GetValue<int>().ShouldBe((int)status);
        json["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }
}
