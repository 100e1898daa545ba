using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

/// <summary>A stack whose API listens on a real loopback port, for a browser.</summary>
public sealed class KestrelStack : UsersStack
{
    protected override WebApplicationFactory<Program> PrepareApi(WebApplicationFactory<Program> api)
    {
        api.UseKestrel(0);
        api.StartServer();
        return api;
    }

    public Uri BaseAddress => new(ApiFactory.Services.GetRequiredService<IServer>().Features
        .Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
}

[CollectionDefinition(Name)]
public sealed class KestrelStackCollection : ICollectionFixture<KestrelStack>
{
    public const string Name = "kestrel stack";
}

/// <summary>
/// The audit page in headless Chromium (Debian's /usr/bin/chromium; Playwright never downloads a browser)
/// against the real API.
/// </summary>
[Collection(KestrelStackCollection.Name)]
public sealed class AuditPageTests(KestrelStack stack)
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    [Fact]
    public async Task the_audit_page_shows_the_users_profile_their_history_with_field_diffs_and_steps_to_a_past_version()
    {
        // A user with a history: registered as Ada, then renamed and given a last name.
        var email = HttpJson.UniqueEmail("audit");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email, first_name = "Ada" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await Eventually.Until(async () => (await (await stack.Api.GetAsync($"/api/v1/users/{id}")).ReadObjectAsync())["version"]!.GetValue<long>(),
            v => v >= 2, what: "the verification request (version 2)");
        var renamed = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Augusta", last_name = "Lovelace" });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = (await renamed.ReadObjectAsync())["version"]!.GetValue<long>();
        version.ShouldBe(3);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // The page reads its credential from sessionStorage: an auditor, who may read any user's history.
        var auditorToken = stack.Token(Guid.NewGuid(), "auditor");
        await page.AddInitScriptAsync(
            $"sessionStorage.setItem('audit.scheme', 'bearer'); sessionStorage.setItem('audit.credential', '{auditorToken}');");
        var url = new Uri(stack.BaseAddress, $"/audit/index.html?user={id}");
        var response = await page.GotoAsync(url.ToString());
        response!.Status.ShouldBe(200);

        // The current profile, whatever the history endpoint says.
        await Assertions.Expect(page.GetByTestId("profile-version")).ToHaveTextAsync("version 3 of 3");
        await Assertions.Expect(page.Locator("#profile dd[data-field='first_name']")).ToHaveTextAsync("Augusta");
        await Assertions.Expect(page.Locator("#profile dd[data-field='email']")).ToHaveTextAsync(email);

        // The timeline, from GET /api/v1/users/{id}/history, with each field's from/to.
        var entries = page.GetByTestId("timeline").Locator("li");
        await Assertions.Expect(entries).ToHaveCountAsync(3);
        var update = page.Locator("#timeline > li[data-version='3']");
        await Assertions.Expect(update.Locator(".type")).ToHaveTextAsync("user_profile_updated");
        await Assertions.Expect(update.Locator("tr[data-field='first_name'] td.from")).ToHaveTextAsync("Ada");
        await Assertions.Expect(update.Locator("tr[data-field='first_name'] td.to")).ToHaveTextAsync("Augusta");
        await Assertions.Expect(update.Locator("tr[data-field='last_name'] td.from")).ToHaveTextAsync("—");
        await Assertions.Expect(update.Locator("tr[data-field='last_name'] td.to")).ToHaveTextAsync("Lovelace");
        await Assertions.Expect(update.GetByTestId("entry-meta")).ToContainTextAsync("by api-key:bootstrap");
        // From where (Auditing/Provenance): the caller's address, the credential, the route.
        await Assertions.Expect(update.GetByTestId("entry-provenance")).ToContainTextAsync(
            "from 127.0.0.1 · credential bootstrap_key bootstrap · PATCH /api/v1/users/{id} · dialect api/v1");

        // Step back to version 1: the name as registered, no last name yet; then forward one.
        await page.Locator("#timeline > li[data-version='1'] [data-testid='view-version']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("profile-version")).ToHaveTextAsync("version 1 of 3");
        await Assertions.Expect(page.Locator("#profile dd[data-field='first_name']")).ToHaveTextAsync("Ada");
        await Assertions.Expect(page.Locator("#profile dd[data-field='last_name']")).ToHaveCountAsync(0);
        await page.GetByTestId("next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("profile-version")).ToHaveTextAsync("version 2 of 3");

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        var file = Path.Combine(screenshots, "audit-timeline.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        new FileInfo(file).Length.ShouldBeGreaterThan(1000);
    }
}
