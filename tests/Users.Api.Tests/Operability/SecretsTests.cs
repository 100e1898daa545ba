using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Users.Api.Auth;

namespace Users.Api.Tests.Operability;

/// <summary>
/// The development secrets published in this repository open the door to anyone (mint an admin token, act as
/// the bootstrap admin): outside Development and Testing the API refuses to start with them.
/// </summary>
public sealed partial class SecretsTests
{
    private const string FreshKey = "a-secret-of-this-deployment-only-0123456789abcdef";
    private const string FreshAdminKey = "in-a-fresh-bootstrap-key-0123456789abcdef";

    [Theory]
    [InlineData("Production", "development-only-signing-key-change-me-0123456789", FreshAdminKey, "Auth:SigningKey")]
    [InlineData("Production", "dev-signing-key-0123456789-abcdefghijklmnop", FreshAdminKey, "Auth:SigningKey")]
    [InlineData("Staging", FreshKey, "in-dev-bootstrap-admin-key-change-me", "Auth:BootstrapAdminApiKey")]
    [InlineData("Production", "short-key-of-31-bytes-012345678", FreshAdminKey, "at least 32 bytes")]
    public void outside_development_the_api_refuses_to_start_with_a_published_or_short_secret(
        string environment, string signingKey, string adminKey, string named)
    {
        var failure = Should.Throw<Exception>(() => StartApi(environment, signingKey, adminKey));

        var error = Innermost(failure);
        error.ShouldBeOfType<InvalidOperationException>();
        error.Message.ShouldContain(named);
    }

    [Fact]
    public void every_secret_published_in_the_repository_is_known_as_one()
    {
        var root = FindRepositoryRoot();
        var development = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "src/Users.Api/appsettings.Development.json")))!;
        var published = new List<string> { development["Auth"]!["SigningKey"]!.GetValue<string>() };
        // scripts/services.sh env prints the keys scripts/run.sh starts the API with.
        var services = File.ReadAllText(Path.Combine(root, "scripts/services.sh"));
        published.AddRange(EnvAuthKey().Matches(services).Select(m => m.Groups[1].Value));
        published.Count.ShouldBe(3);

        foreach (var secret in published)
            AuthSettings.PublishedSecrets.ShouldContain(secret);
        // A development admin key the documentation shows is a published one too.
        foreach (var doc in new[] { "README.md", "docs/auth.md" })
            foreach (Match shown in Regex.Matches(File.ReadAllText(Path.Combine(root, doc)), "in-dev-[a-z-]+"))
                AuthSettings.PublishedSecrets.ShouldContain(shown.Value);
    }

    [Fact]
    public void development_and_testing_still_accept_the_published_secrets()
    {
        AuthSettings.AllowsPublishedSecrets("Development").ShouldBeTrue();
        AuthSettings.AllowsPublishedSecrets("Testing").ShouldBeTrue();
        AuthSettings.AllowsPublishedSecrets("Production").ShouldBeFalse();
    }

    private static void StartApi(string environment, string signingKey, string adminKey)
    {
        JasperFxEnvironment.AutoStartHost = true;
        using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            // Never reached: the secrets are checked while the services are registered.
            web.UseSetting("ConnectionStrings:Postgres", "Host=127.0.0.1;Port=1;Database=none");
            web.UseSetting("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:1");
            web.UseSetting("Auth:SigningKey", signingKey);
            web.UseSetting("Auth:BootstrapAdminApiKey", adminKey);
            // A master key of this deployment: its own refusals are Auditing/Encryption/MasterKeyTests'.
            web.UseSetting("Encryption:MasterKey", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        });
        _ = api.Server;
    }

    private static Exception Innermost(Exception e) =>
        e is AggregateException or System.Reflection.TargetInvocationException && e.InnerException is { } inner ? Innermost(inner) : e;

    [GeneratedRegex("\"Auth__(?:SigningKey|BootstrapAdminApiKey)=([^\"]+)\"")]
    private static partial Regex EnvAuthKey();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above " + AppContext.BaseDirectory);
    }
}
