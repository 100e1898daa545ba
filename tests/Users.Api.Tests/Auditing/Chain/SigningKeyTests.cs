using System.Text.Json.Nodes;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Users.Api.Auditing;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>The checkpoint signing key published in this repository signs nothing outside Development and Testing.</summary>
public sealed class SigningKeyTests
{
    [Theory]
    [InlineData("Production", AuditSettings.DevelopmentSigningKey, "published in this repository")]
    [InlineData("Staging", AuditSettings.DevelopmentSigningKey, "published in this repository")]
    [InlineData("Production", "c2hvcnQ=", "must be 32 bytes")]
    [InlineData("Production", "not base64!", "must be base64")]
    public void outside_development_the_api_refuses_a_published_or_malformed_checkpoint_key(string environment, string key, string reason)
    {
        JasperFxEnvironment.AutoStartHost = true;
        using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            // Never reached: the key is checked while the services are registered.
            web.UseSetting("ConnectionStrings:Postgres", "Host=127.0.0.1;Port=1;Database=none");
            web.UseSetting("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:1");
            web.UseSetting("Auth:SigningKey", "a-secret-of-this-deployment-only-0123456789abcdef");
            web.UseSetting("Audit:SigningKey", key);
            // A master key of this deployment: its own refusals are Auditing/Encryption/MasterKeyTests'.
            web.UseSetting("Encryption:MasterKey", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        });
        var failure = Should.Throw<Exception>(() => _ = api.Server);
        while (failure.InnerException is { } inner && failure is AggregateException or System.Reflection.TargetInvocationException)
            failure = inner;
        failure.ShouldBeOfType<InvalidOperationException>();
        failure.Message.ShouldContain("Audit:SigningKey");
        failure.Message.ShouldContain(reason);
    }

    [Fact]
    public void the_development_settings_hold_the_published_key_which_testing_uses_by_default()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Users.sln")))
            root = Path.GetDirectoryName(root)!;
        var development = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "src/Users.Api/appsettings.Development.json")))!;
        development["Audit"]!["SigningKey"]!.GetValue<string>().ShouldBe(AuditSettings.DevelopmentSigningKey);

        var testing = AuditSettings.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), "Testing");
        testing.Signer.ShouldNotBeNull().PublicKey.ShouldBe(testing.TrustedPublicKey);
        AuditSettings.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), "Production").Signer.ShouldBeNull();
    }
}
