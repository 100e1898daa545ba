using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Profile;

namespace Users.Api.Tests.Operability;

[Collection(StackCollection.Name)]
public sealed class OpenApiDocumentTests(UsersStack stack)
{
    // Not part of the API a client integrates with: probes, the document itself, the dev UI.
    // Infrastructure, and /dev/tokens, which exists only in Development and Testing.
    private static readonly string[] NotDocumented = ["/health/live", "/health/ready", "/openapi/{documentName}.json", "/asyncapi/", "/scalar", "/dev/"];

    [Fact]
    public async Task the_document_lists_every_mapped_route_with_its_methods()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        var mapped = stack.ApiServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: Normalize(e.RoutePattern.RawText!), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => !NotDocumented.Any(n => e.Path.StartsWith(n, StringComparison.Ordinal)))
            .ToList();
        mapped.ShouldNotBeEmpty();
        foreach (var (path, methods) in mapped)
        {
            paths.ContainsKey(path).ShouldBeTrue($"{path} is mapped but not in the OpenAPI document");
            foreach (var method in methods)
                paths[path]!.AsObject().ContainsKey(method.ToLowerInvariant()).ShouldBeTrue($"{method} {path} is not documented");
        }
    }

    [Fact]
    public async Task the_user_schemas_carry_the_catalogue_limits_access_and_the_error_shape()
    {
        var document = await DocumentAsync();
        document["openapi"]!.GetValue<string>().ShouldStartWith("3.1");
        var schemas = document["components"]!["schemas"]!;

        var write = schemas["UserWrite"]!["properties"]!.AsObject();
        foreach (var field in ProfileFields.All.Where(f => f.Access != FieldAccess.ReadOnly))
        {
            write.ContainsKey(field.Name).ShouldBeTrue(field.Name);
            if (write[field.Name]!["maxLength"] is { } max)
                max.GetValue<int>().ShouldBe(field.MaxLength, field.Name);
            write[field.Name]!["x-access"]!.GetValue<string>().ShouldBe(field.Access == FieldAccess.Admin ? "admin" : "user", field.Name);
        }
        write["email"]!["maxLength"]!.GetValue<int>().ShouldBe(254);
        write["first_name"]!["maxLength"]!.GetValue<int>().ShouldBe(100);
        write["password"]!["writeOnly"]!.GetValue<bool>().ShouldBeTrue();
        schemas["UserWrite"]!["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();

        var read = schemas["User"]!["properties"]!.AsObject();
        read.ContainsKey("password").ShouldBeFalse();
        read["id"]!["readOnly"]!.GetValue<bool>().ShouldBeTrue();
        read["version"]!["readOnly"]!.GetValue<bool>().ShouldBeTrue();
        read["email_verified"]!["readOnly"]!.GetValue<bool>().ShouldBeTrue();

        var errors = schemas["Problem"]!["properties"]!["errors"]!["items"]!["properties"]!.AsObject();
        errors.ContainsKey("path").ShouldBeTrue();
        errors.ContainsKey("message").ShouldBeTrue();

        var patch = document["paths"]!["/api/v1/users/{id}"]!["patch"]!;
        patch["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/Problem");
        patch["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/User");
        patch["requestBody"]!["content"]!["application/merge-patch+json"].ShouldNotBeNull();
        document["paths"]!["/api/v1/users"]!["post"]!["responses"]!["201"].ShouldNotBeNull();
    }

    [Fact]
    public async Task bearer_jwt_and_api_key_are_declared_as_security_schemes()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        schemes["Bearer"]!["type"]!.GetValue<string>().ShouldBe("http");
        schemes["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        schemes["Bearer"]!["bearerFormat"]!.GetValue<string>().ShouldBe("JWT");
        schemes["ApiKey"]!["type"]!.GetValue<string>().ShouldBe("apiKey");
        schemes["ApiKey"]!["in"]!.GetValue<string>().ShouldBe("header");
        schemes["ApiKey"]!["name"]!.GetValue<string>().ShouldBe("X-Api-Key");
        document["security"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task api_keys_and_mailed_tokens_are_described_as_they_answer()
    {
        var paths = (await DocumentAsync())["paths"]!;

        var issue = paths["/api/v1/users/{id}/api-keys"]!["post"]!;
        var request = issue["requestBody"]!["content"]!["application/json"]!["schema"]!;
        request["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["name"]);
        request["properties"]!["name"]!["maxLength"]!.GetValue<int>().ShouldBe(100);
        request["properties"]!["expires_at"]!["format"]!.GetValue<string>().ShouldBe("date-time");
        var issued = issue["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["properties"]!.AsObject();
        issued.Select(kv => kv.Key).Order().ShouldBe(
            ["created_at", "created_by", "expires_at", "id", "key", "last_used_at", "name", "prefix", "revoked_at", "role"]);
        issue["responses"]!.AsObject().ContainsKey("409").ShouldBeTrue();

        foreach (var path in new[] { "/api/v1/users/{id}/email/verify", "/api/v1/users/{id}/email/revert" })
        {
            var answer = paths[path]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
            answer["properties"]!.AsObject().Select(kv => kv.Key).Order().ToArray().ShouldBe(["email_verified", "status"], path);
            paths[path]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["required"]![0]!.GetValue<string>()
                .ShouldBe("token", path);
        }
    }

    private async Task<JsonObject> DocumentAsync()
    {
        var response = await stack.Api.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    // "/api/v1/users/{id:guid}" → "/api/v1/users/{id}", as OpenAPI writes templates.
    private static string Normalize(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{(\*{0,2})([^}:=?]+)[^}]*\}", "{$2}");
    }
}
