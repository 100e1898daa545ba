using System.Text.Json.Nodes;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Users.Projections.Encryption;

namespace Users.Api.Tests.Auditing.Encryption;

/// <summary>The master key wraps every data key: outside Development and Testing the published one, or none, stops the start.</summary>
public sealed class MasterKeyTests
{
    private static readonly string Fresh = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray());

    [Theory]
    [InlineData("Production", MasterKey.Development, "published")]
    [InlineData("Staging", null, "required")]
    [InlineData("Production", "c2hvcnQ=", "32 bytes")]
    [InlineData("Production", "not base64!", "not base64")]
    public void outside_development_a_published_missing_or_malformed_master_key_is_refused(string environment, string? configured, string named) =>
        Should.Throw<InvalidOperationException>(() => MasterKey.From(configured, environment)).Message.ShouldContain(named);

    [Fact]
    public void development_and_testing_fall_back_to_the_published_key_and_any_environment_takes_its_own()
    {
        MasterKey.From(null, "Testing").ShouldBe(Convert.FromBase64String(MasterKey.Development));
        MasterKey.From(MasterKey.Development, "Development").Length.ShouldBe(32);
        MasterKey.From(Fresh, "Production").ShouldBe(Convert.FromBase64String(Fresh));
    }

    [Fact]
    public void the_key_in_the_development_settings_is_known_as_published()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Users.sln")))
            root = Path.GetDirectoryName(root)!;
        var development = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "src/Users.Api/appsettings.Development.json")))!;
        MasterKey.Published.ShouldContain(development["Encryption"]!["MasterKey"]!.GetValue<string>());
    }

    [Fact]
    public void the_api_refuses_to_start_in_production_with_the_published_master_key()
    {
        JasperFxEnvironment.AutoStartHost = true;
        using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("ConnectionStrings:Postgres", "Host=127.0.0.1;Port=1;Database=none");
            web.UseSetting("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:1");
            web.UseSetting("Auth:SigningKey", "a-secret-of-this-deployment-only-0123456789abcdef");
            web.UseSetting("Auth:BootstrapAdminApiKey", "in-a-fresh-bootstrap-key-0123456789abcdef");
            web.UseSetting(MasterKey.Setting, MasterKey.Development);
        });
        var failure = Should.Throw<Exception>(() => api.Server);
        Innermost(failure).Message.ShouldContain(MasterKey.Setting);
    }

    private static Exception Innermost(Exception e) =>
        e is AggregateException or System.Reflection.TargetInvocationException && e.InnerException is { } inner ? Innermost(inner) : e;
}
