using System.Net;
using Microsoft.AspNetCore.Hosting;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

/// <summary>The API as a developer runs it (environment Development), without the worker.</summary>
public sealed class DevelopmentStack : UsersStack
{
    protected override bool StartWorker => false;

    protected override void ConfigureApi(IWebHostBuilder web) => web.UseEnvironment("Development");
}

[CollectionDefinition(Name)]
public sealed class DevelopmentStackCollection : ICollectionFixture<DevelopmentStack>
{
    public const string Name = "development stack";
}

[Collection(DevelopmentStackCollection.Name)]
public sealed class DevelopmentTests(DevelopmentStack stack)
{
    [Fact]
    public async Task in_development_scalar_serves_the_api_reference_over_the_openapi_document()
    {
        var scalar = await stack.Api.GetAsync("/scalar");
        scalar.StatusCode.ShouldBe(HttpStatusCode.OK);
        scalar.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        // Scalar's page names the document relative to the app's base path.
        (await scalar.Content.ReadAsStringAsync()).ShouldContain("\"url\":\"openapi/v1.json\"");
    }
}

[Collection(StackCollection.Name)]
public sealed class ProductionSurfaceTests(UsersStack stack)
{
    [Fact]
    public async Task outside_development_there_is_no_scalar_but_the_openapi_document_and_the_audit_page_are_served()
    {
        (await stack.Api.GetAsync("/scalar")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stack.Api.GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var audit = await stack.Api.GetAsync("/audit/");
        audit.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await audit.Content.ReadAsStringAsync()).ShouldContain("Audit timeline");
    }
}
