using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Webhooks;

/// <summary>A receiver that keeps failing: deliveries fail after the retry window, the endpoint is disabled, the admin is mailed.</summary>
public sealed class EndpointDisablingTests(FailingEndpointStack stack) : IClassFixture<FailingEndpointStack>
{
    [Fact]
    public async Task an_endpoint_is_disabled_after_repeated_failed_deliveries_and_the_admin_is_mailed()
    {
        using var receiver = new WebhookReceiver { Failing = true };
        var (endpointId, _) = await stack.RegisterEndpointAsync(receiver.Url, "UserRegistered");
        var users = await Task.WhenAll(stack.RegisterSettledAsync("failing"), stack.RegisterSettledAsync("failing"));

        var endpoint = await Eventually.Until(
            async () => (await stack.Api.GetFromJsonAsync<JsonObject>($"/api/v1/webhooks/{endpointId}"))!,
            e => !e["enabled"]!.GetValue<bool>(), TimeSpan.FromSeconds(30), "the endpoint disabled");
        endpoint["disabled_reason"]!.GetValue<string>().ShouldContain("2 deliveries in a row failed");

        var log = await stack.DeliveriesAsync(endpointId);
        log.Count.ShouldBe(2);
        log.ShouldAllBe(d => d!["failed_at"] != null && d["last_status"]!.GetValue<int>() == 500 && d["attempts"]!.GetValue<int>() > 1);
        receiver.Refused.ShouldBeGreaterThanOrEqualTo(4);

        var mail = await stack.Mail.WaitForMailToAsync(FailingEndpointStack.AdminEmail);
        mail.Subject.ShouldBe("Webhook endpoint disabled");
        mail.TextBody!.ShouldContain(endpointId.ToString());
        mail.TextBody!.ShouldContain(receiver.Url);

        // Disabled: a new event is not even queued for it.
        var later = await stack.RegisterSettledAsync("after");
        (await stack.DeliveriesAsync(endpointId)).ShouldNotContain(d => d!["user_id"]!.GetValue<Guid>() == later);
        users.Length.ShouldBe(2);
    }
}
