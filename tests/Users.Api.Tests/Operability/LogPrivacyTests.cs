using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

/// <summary>A stack whose API and worker log everything (Debug and up) into one capture as well.</summary>
public sealed class LoggedStack : UsersStack
{
    public LogCapture Logs { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
    };

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureLogging(logging => logging.AddProvider(Logs));

    protected override void ConfigureWorker(WebApplicationBuilder worker) => worker.Logging.AddProvider(Logs);
}

[CollectionDefinition(Name)]
public sealed class LoggedStackCollection : ICollectionFixture<LoggedStack>
{
    public const string Name = "logged stack";
}

[Collection(LoggedStackCollection.Name)]
public sealed partial class LogPrivacyTests(LoggedStack stack)
{
    [Fact]
    public async Task a_session_of_register_change_email_and_verify_logs_no_address_name_password_or_token()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var firstEmail = $"first.{unique}@example.com";
        var secondEmail = $"second.{unique}@example.com";
        var firstName = $"Zephyrine{unique}";
        var lastName = $"Quillfeather{unique}";
        var password = $"Pw-{unique}-secret!";

        var created = await stack.Api.PostJsonAsync("/api/v1/users",
            new { email = firstEmail, password, first_name = firstName, last_name = lastName });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var firstMail = await stack.Mail.WaitForMailToAsync(firstEmail);
        await stack.WaitForVersionAsync(id, 2);

        var changed = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = secondEmail });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secondMail = await stack.Mail.WaitForMailToAsync(secondEmail);
        await stack.WaitForVersionAsync(id, 4);

        // A failed attempt too: bad input is a favourite place to echo values into logs.
        var invalid = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = "not-an-address " + secondEmail });
        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var token = MailTokens.Verification(secondMail);
        var firstToken = MailTokens.Verification(firstMail);
        var verified = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token });
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);

        // Let the relay and the consumers finish logging what this session caused.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var logs = stack.Logs.Entries;
        logs.Count.ShouldBeGreaterThan(50, "the capture sees the hosts' logs");
        logs.ShouldContain(l => l.Contains(id.ToString(), StringComparison.Ordinal), "the session's own entries are captured");

        var secrets = new Dictionary<string, string>
        {
            ["first email"] = firstEmail,
            ["second email"] = secondEmail,
            ["first name"] = firstName,
            ["last name"] = lastName,
            ["password"] = password,
            ["token"] = token,
            ["first token"] = firstToken,
            // An address in any case, or just its local part, is still the address.
            ["first email's local part"] = $"first.{unique}",
            ["second email's local part"] = $"second.{unique}",
        };
        foreach (var (what, value) in secrets)
        {
            var leaks = logs.Where(l => l.Contains(value, StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
            leaks.ShouldBeEmpty($"the {what} appears in the logs:\n{string.Join("\n---\n", leaks)}");
        }
    }

}
