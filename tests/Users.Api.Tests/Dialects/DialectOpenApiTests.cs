using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Users.Api.Dialects.Seed000;
using Users.Api.Dialects.Seed002;
using Users.Api.Dialects.Seed003;
using Users.Api.Dialects.Seed004;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Dialects;

/// <summary>Each dialect describes itself (name, tag, request and response types) for the OpenAPI document.</summary>
[Collection(StackCollection.Name)]
public sealed class DialectOpenApiTests(UsersStack stack)
{
    [Theory]
    [InlineData("Seed000UpdateUserProfile", "seed-000", "PUT /api/v1/user/{user_id}", typeof(Seed000Request), typeof(Seed000Response))]
    [InlineData("Seed002UpdateUser", "seed-002", "PATCH /users/{user_id}", typeof(Seed002Request), typeof(Seed002User))]
    [InlineData("Seed003UpdateUser", "seed-003", "PUT /v1/auth/users/{user_id}/update", typeof(Seed003Request), typeof(Seed003Response))]
    [InlineData("Seed004UpdateUser", "seed-004", "PUT /users/{id}", typeof(Seed004Request), typeof(Seed004Response))]
    public void each_dialect_names_its_route_tag_and_documented_shapes(string name, string tag, string route, Type request, Type response)
    {
        var endpoint = stack.ApiServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);

        $"{endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Single()} {endpoint.RoutePattern.RawText}".ShouldBe(route);
        endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).ShouldContain(tag);
        endpoint.Metadata.GetMetadata<IAcceptsMetadata>()!.RequestType.ShouldBe(request);
        endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
            .ShouldContain(p => p.StatusCode == StatusCodes.Status200OK && p.Type == response);
    }

    [Theory]
    [InlineData("Seed000UpdateUserProfile", typeof(Seed000Error))]
    [InlineData("Seed002UpdateUser", typeof(Seed002Error))]
    [InlineData("Seed003UpdateUser", typeof(Seed003Error))]
    public void each_dialect_documents_its_own_error_body_never_problem_details(string name, Type error)
    {
        var produces = stack.ApiServices.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name)
            .Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Where(p => p.StatusCode >= 400).ToList();
        produces.Select(p => p.StatusCode).ShouldBe([400, 401, 403, 404, 412, 422], ignoreOrder: true);
        produces.ShouldAllBe(p => p.Type == error && p.ContentTypes.All(c => c == "application/json"));
    }

    [Fact]
    public void seed_004_documents_its_error_bodies()
    {
        var produces = stack.ApiServices.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "Seed004UpdateUser")
            .Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().ToDictionary(p => p.StatusCode, p => p.Type);
        produces[StatusCodes.Status401Unauthorized].ShouldBe(typeof(Seed004Error));
        produces[StatusCodes.Status404NotFound].ShouldBe(typeof(Seed004Error));
        produces[StatusCodes.Status422UnprocessableEntity].ShouldBe(typeof(Seed004ValidationError));
    }
}
