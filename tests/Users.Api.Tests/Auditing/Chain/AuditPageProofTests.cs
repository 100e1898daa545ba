using Microsoft.Playwright;
using Users.Api.Tests.Operability;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>The audit page's chain line in headless Chromium: "verified at", then the breaking event once tampered.</summary>
[Collection(KestrelStackCollection.Name)]
public sealed class AuditPageProofTests(KestrelStack stack)
{
    [Fact]
    public async Task the_audit_page_shows_the_chain_verified_then_the_event_that_breaks_it()
    {
        var id = await stack.UserWithHistoryAsync("chain-page");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync(
            $"sessionStorage.setItem('audit.scheme', 'bearer'); sessionStorage.setItem('audit.credential', '{stack.Token(Guid.NewGuid(), "auditor")}');");
        var url = new Uri(stack.BaseAddress, $"/audit/index.html?user={id}").ToString();

        await page.GotoAsync(url);
        await Assertions.Expect(page.GetByTestId("proof")).ToContainTextAsync("Chain verified at");
        await Assertions.Expect(page.GetByTestId("proof")).ToContainTextAsync("5 events, head v5");

        await stack.ExecuteAsync("update {schema}.mt_events set data = regexp_replace(data::text, 'enc:v1:', 'enc:v0:')::jsonb where stream_id = @id and version = 4", ("id", id));
        await page.GotoAsync(url);
        await Assertions.Expect(page.GetByTestId("proof")).ToContainTextAsync("Chain breaks at version 4 (changed)");
        await Assertions.Expect(page.Locator("#timeline > li[data-version='4']")).ToHaveClassAsync("broken");
    }
}
