using System.Net;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Webhooks;

/// <summary>No server-side request forgery: private targets refused at registration and, for names, at connect time.</summary>
public sealed class SsrfTests(SsrfStack stack) : IClassFixture<SsrfStack>
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task a_private_address_is_refused_at_registration_on_url(string url)
    {
        var response = await stack.Api.PostJsonAsync("/api/v1/webhooks", new { url });
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsArray();
        errors.Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["/url"]);
    }

    [Fact]
    public async Task a_name_that_resolves_to_loopback_is_refused_at_connect_time()
    {
        using var receiver = new WebhookReceiver();
        // A name is not judged at registration (its answer may change later: DNS rebinding) …
        var (endpointId, _) = await stack.RegisterEndpointAsync($"http://localhost:{receiver.Port}/hook", "UserRegistered");
        var id = await stack.RegisterSettledAsync("rebinding");

        // … but every connection is: the delivery fails without a byte sent.
        var refused = await Eventually.Until(
            async () => (await stack.DeliveriesAsync(endpointId)).FirstOrDefault(d => d!["user_id"]!.GetValue<Guid>() == id),
            d => d?["last_error"] is not null, what: "a refused attempt");
        refused!["last_error"]!.GetValue<string>().ShouldStartWith("Refused: localhost resolves to an address deliveries may not reach");
        refused["delivered_at"].ShouldBeNull();
        receiver.Received.ShouldBeEmpty();
        receiver.Refused.ShouldBe(0);
    }
}
