using YamlDotNet.RepresentationModel;

namespace Users.Api.Tests.Operability;

/// <summary>
/// docker-compose.yml cannot be started here (no Docker engine); these tests read it and hold it to the
/// app's configuration: the services, ports, environment keys, health checks and start order.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly YamlMappingNode Services = Load();

    // Every key the API and the worker read from configuration (README, "The two commands").
    private static readonly string[] AppKeys =
    [
        "ConnectionStrings__Postgres", "ConnectionStrings__RabbitMq", "Smtp__Host", "Smtp__Port", "Smtp__From",
        "Users__PublicBaseUrl", "Encryption__MasterKey",
    ];

    private static readonly string[] ApiOnlyKeys = ["Auth__SigningKey", "Auth__BootstrapAdminApiKey"];

    [Fact]
    public void postgres_rabbitmq_with_its_management_ui_a_mail_catcher_the_api_and_the_worker_are_services()
    {
        foreach (var name in new[] { "postgres", "rabbitmq", "mailcatcher", "api", "worker" })
            Services.Children.ContainsKey(name).ShouldBeTrue($"service {name}");
        Scalar(Service("rabbitmq"), "image").ShouldContain("management");
        Scalar(Service("postgres"), "image").ShouldStartWith("postgres");
    }

    [Fact]
    public void ports_publish_the_api_the_broker_its_ui_the_database_and_the_mail_ui()
    {
        ContainerPorts("api").ShouldContain(8080);
        ContainerPorts("postgres").ShouldContain(5432);
        ContainerPorts("rabbitmq").ShouldContain(5672);
        ContainerPorts("rabbitmq").ShouldContain(15672);
        ContainerPorts("mailcatcher").Count.ShouldBeGreaterThanOrEqualTo(2, "SMTP and the web UI");
    }

    [Fact]
    public void the_api_and_the_worker_get_every_configuration_key_the_app_reads_pointing_at_the_compose_services()
    {
        foreach (var service in new[] { "api", "worker" })
        {
            var env = Environment(service);
            foreach (var key in AppKeys)
                env.ContainsKey(key).ShouldBeTrue($"{service} lacks {key}");
            env["ConnectionStrings__Postgres"].ShouldContain("Host=postgres");
            env["ConnectionStrings__RabbitMq"].ShouldStartWith("amqp://");
            new Uri(env["ConnectionStrings__RabbitMq"]).Host.ShouldBe("rabbitmq");
            env["Smtp__Host"].ShouldBe("mailcatcher");
            int.TryParse(env["Smtp__Port"], out _).ShouldBeTrue();
        }
        var api = Environment("api");
        foreach (var key in ApiOnlyKeys)
            api.ContainsKey(key).ShouldBeTrue($"api lacks {key}");
    }

    [Fact]
    public void the_api_takes_its_secrets_from_the_environment_with_no_default_and_no_published_secret_appears()
    {
        var api = Environment("api");
        foreach (var key in ApiOnlyKeys)
            // ${VAR:?message}: compose stops when VAR is unset or empty; ${VAR:-default} would run with the default.
            api[key].ShouldMatch(@"^\$\{[A-Z_]+:\?[^}]+\}$", $"{key} must come from the environment without a default");
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        foreach (var secret in global::Users.Api.Auth.AuthSettings.PublishedSecrets)
            text.ShouldNotContain(secret);
    }

    [Fact]
    public void every_stateful_service_and_app_has_a_health_check_and_the_apps_start_once_their_dependencies_are_healthy()
    {
        foreach (var service in new[] { "postgres", "rabbitmq", "api", "worker" })
        {
            var check = Service(service).Children.TryGetValue("healthcheck", out var node) ? node as YamlMappingNode : null;
            check.ShouldNotBeNull($"{service} has no healthcheck");
            check.Children.ContainsKey("test").ShouldBeTrue($"{service} healthcheck has no test");
        }
        var apiCheck = Service("api")["healthcheck"]["test"].ToString();
        apiCheck.ShouldContain("/health/");

        foreach (var service in new[] { "api", "worker" })
        {
            var dependsOn = (YamlMappingNode)Service(service)["depends_on"];
            foreach (var dependency in new[] { "postgres", "rabbitmq" })
                Scalar((YamlMappingNode)dependsOn[dependency], "condition").ShouldBe("service_healthy", $"{service} → {dependency}");
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void the_dockerfiles_exist_are_multi_stage_and_run_as_a_non_root_user(string service)
    {
        var build = (YamlMappingNode)Service(service)["build"];
        var path = Path.Combine(Root, Scalar(build, "context"), Scalar(build, "dockerfile"));
        File.Exists(path).ShouldBeTrue(path);
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        lines.Count(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)).ShouldBeGreaterThanOrEqualTo(2, "multi-stage");
        lines.ShouldContain(l => l.StartsWith("COPY --from=", StringComparison.OrdinalIgnoreCase));
        // The last USER of the final stage decides who runs the app.
        var finalStage = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))).ToList();
        var user = finalStage.LastOrDefault(l => l.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));
        user.ShouldNotBeNull("the final stage sets no USER");
        user[5..].Trim().ShouldNotBeOneOf("root", "0", "0:0");
    }

    [Fact]
    public void the_api_and_the_worker_build_from_one_dockerfile_each_naming_its_own_project()
    {
        var builds = new[] { ("api", "Users.Api"), ("worker", "Users.Notifications") }
            .Select(s => (Build: (YamlMappingNode)Service(s.Item1)["build"], Project: s.Item2)).ToList();
        builds.Select(b => Path.GetFullPath(Path.Combine(Root, Scalar(b.Build, "context"), Scalar(b.Build, "dockerfile"))))
            .Distinct().Count().ShouldBe(1, "one Dockerfile for both hosts");
        foreach (var (build, project) in builds)
        {
            build.Children.TryGetValue("args", out var args).ShouldBeTrue($"{project}: no build args");
            Scalar((YamlMappingNode)args, "PROJECT").ShouldBe(project);
            File.Exists(Path.Combine(Root, "src", project, project + ".csproj")).ShouldBeTrue(project);
        }
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    /// <summary>Container ports of "host:container" or "ip:host:container" entries.</summary>
    private static List<int> ContainerPorts(string service) =>
        ((YamlSequenceNode)Service(service)["ports"]).Children.Cast<YamlScalarNode>()
            .Select(p => int.Parse(p.Value!.Split(':')[^1].Split('/')[0])).ToList();

    /// <summary>The service's environment with YAML merge keys (&lt;&lt;: *anchor) resolved.</summary>
    private static Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect((YamlMappingNode)Service(service)["environment"], result);
        return result;

        static void Collect(YamlMappingNode node, Dictionary<string, string> into)
        {
            foreach (var (key, value) in node.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (name == "<<")
                {
                    foreach (var merged in value is YamlSequenceNode list ? list.Children : [value])
                        Collect((YamlMappingNode)merged, into);
                }
                else
                {
                    into[name] = ((YamlScalarNode)value).Value ?? "";
                }
            }
        }
    }

    private static YamlMappingNode Load()
    {
        var file = Path.Combine(Root, "docker-compose.yml");
        File.Exists(file).ShouldBeTrue(file);
        using var reader = new StreamReader(file);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above " + AppContext.BaseDirectory);
    }
}
