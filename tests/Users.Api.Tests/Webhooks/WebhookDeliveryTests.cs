using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Users.Api.Tests.Infrastructure;
using Users.Api.Webhooks;

namespace Users.Api.Tests.Webhooks;

/// <summary>Deliveries from the outbox to a receiver on loopback: every event, per-user order, Standard Webhooks signatures.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookStack stack)
{
    [Fact]
    public async Task every_event_of_a_scripted_session_arrives_signed_and_in_user_order()
    {
        using var receiver = new WebhookReceiver();
        var (endpointId, secret) = await stack.RegisterEndpointAsync(receiver.Url);

        var users = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => stack.RegisterSettledAsync("hook")));
        await Task.WhenAll(users.Select(async id =>
        {
            foreach (var name in new[] { "Ada", "Grace", "Edsger", "Barbara" })
                (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }));

        var webhook = new StandardWebhook(secret);
        foreach (var id in users)
        {
            var expected = await stack.PublishedVersionsAsync(id);
            expected.Count.ShouldBe(6);
            var received = await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= expected.Count,
                what: $"every event of user {id} at the receiver");
            received.Select(r => r.Version).ShouldBe(expected, "in version order, each once");
            foreach (var delivery in received)
            {
                Should.NotThrow(() => webhook.Verify(delivery.Body, delivery.Headers));
                delivery.Header("webhook-id").ShouldBe(delivery.EventId.ToString());
                delivery.Header("webhook-signature").ShouldStartWith("v1,");
            }
        }

        var log = await stack.DeliveriesAsync(endpointId);
        var mine = log.Where(d => users.Contains(d!["user_id"]!.GetValue<Guid>())).ToList();
        mine.Count.ShouldBe(18);
        mine.ShouldAllBe(d => d!["delivered_at"] != null && d["last_status"]!.GetValue<int>() == 204 && d["attempts"]!.GetValue<int>() == 1);
    }

    [Fact]
    public async Task a_receiver_that_fails_then_is_down_gets_everything_once_it_returns_in_order()
    {
        using var receiver = new WebhookReceiver { Failing = true };
        var (endpointId, secret) = await stack.RegisterEndpointAsync(receiver.Url);
        var id = await stack.RegisterSettledAsync("down");
        foreach (var name in new[] { "One", "Two", "Three" })
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Answering 500 for a while, then not answering at all.
        await Eventually.Until(() => Task.FromResult(receiver.Refused), n => n >= 3, what: "failed attempts");
        receiver.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.Of(id).ShouldBeEmpty();
        receiver.Failing = false;
        receiver.Start();

        var expected = await stack.PublishedVersionsAsync(id);
        var received = await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= expected.Count,
            what: "every event after the receiver returned");
        received.Select(r => r.Version).ShouldBe(expected);
        foreach (var delivery in received)
            Should.NotThrow(() => new StandardWebhook(secret).Verify(delivery.Body, delivery.Headers));
        var first = (await stack.DeliveriesAsync(endpointId)).First(d => d!["user_id"]!.GetValue<Guid>() == id)!;
        first["attempts"]!.GetValue<int>().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task a_forged_or_replayed_signature_is_rejected_by_the_verification_helper()
    {
        using var receiver = new WebhookReceiver();
        var (_, secret) = await stack.RegisterEndpointAsync(receiver.Url, "UserRegistered");
        var id = await stack.RegisterSettledAsync("forged");
        var genuine = (await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= 1, what: "the registration"))[0];
        var webhook = new StandardWebhook(secret);
        Should.NotThrow(() => webhook.Verify(genuine.Body, genuine.Headers));

        // The body changed in transit: the signature no longer matches.
        Should.Throw<WebhookVerificationException>(() => webhook.Verify(genuine.Body.Replace("@", "@evil."), genuine.Headers));
        // Signed with a key the sender does not hold.
        var forged = Copy(genuine.Headers);
        forged["webhook-signature"] = new StandardWebhook(WebhookEndpoint.NewSecret())
            .Sign(genuine.Header("webhook-id"), DateTimeOffset.UtcNow, genuine.Body);
        Should.Throw<WebhookVerificationException>(() => webhook.Verify(genuine.Body, forged));
        // A genuine signature replayed later: its timestamp is outside the five minutes' tolerance.
        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        var replayed = Copy(genuine.Headers);
        replayed["webhook-timestamp"] = old.ToUnixTimeSeconds().ToString();
        replayed["webhook-signature"] = webhook.Sign(genuine.Header("webhook-id"), old, genuine.Body);
        Should.Throw<WebhookVerificationException>(() => webhook.Verify(genuine.Body, replayed)).Message.ShouldContain("too old");

        // The docs' helper agrees on all four.
        var now = DateTimeOffset.UtcNow;
        WebhookVerification.IsGenuine(secret, genuine.Body, genuine.Headers, now).ShouldBeTrue();
        WebhookVerification.IsGenuine(secret, genuine.Body.Replace("@", "@evil."), genuine.Headers, now).ShouldBeFalse();
        WebhookVerification.IsGenuine(secret, genuine.Body, forged, now).ShouldBeFalse();
        WebhookVerification.IsGenuine(secret, genuine.Body, replayed, now).ShouldBeFalse();
    }

    [Fact]
    public async Task the_secret_is_shown_once_and_a_rotation_signs_with_both_secrets()
    {
        using var receiver = new WebhookReceiver();
        var created = await stack.Api.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url, event_types = new[] { "UserRegistered" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var json = await created.ReadObjectAsync();
        var id = json["id"]!.GetValue<Guid>();
        var first = json["secret"]!.GetValue<string>();
        first.ShouldStartWith("whsec_");
        Convert.FromBase64String(first["whsec_".Length..]).Length.ShouldBe(32);

        var one = await stack.Api.GetStringAsync($"/api/v1/webhooks/{id}");
        var all = await stack.Api.GetStringAsync("/api/v1/webhooks");
        foreach (var text in new[] { one, all })
        {
            text.ShouldNotContain(first["whsec_".Length..]);
            text.ShouldNotContain("secret\":");
        }

        var rotated = await stack.Api.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = (await rotated.ReadObjectAsync())["secret"]!.GetValue<string>();
        second.ShouldNotBe(first);

        var user = await stack.RegisterSettledAsync("rotated");
        var delivery = (await Eventually.Until(() => Task.FromResult(receiver.Of(user)), r => r.Count >= 1, what: "a delivery"))[0];
        delivery.Header("webhook-signature").Split(' ').Length.ShouldBe(2);
        WebhookVerification.IsGenuine(first, delivery.Body, delivery.Headers, DateTimeOffset.UtcNow).ShouldBeTrue("the old secret still signs");
        WebhookVerification.IsGenuine(second, delivery.Body, delivery.Headers, DateTimeOffset.UtcNow).ShouldBeTrue("the new secret signs");
        WebhookVerification.IsGenuine(WebhookEndpoint.NewSecret(), delivery.Body, delivery.Headers, DateTimeOffset.UtcNow).ShouldBeFalse();
    }

    [Fact]
    public async Task replay_sends_a_users_events_again_from_a_version_in_order()
    {
        using var receiver = new WebhookReceiver();
        var (endpointId, secret) = await stack.RegisterEndpointAsync(receiver.Url);
        var id = await stack.RegisterSettledAsync("replay");
        foreach (var name in new[] { "One", "Two" })
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var expected = await stack.PublishedVersionsAsync(id);
        await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= expected.Count, what: "the first deliveries");

        var replay = await stack.Api.PostJsonAsync($"/api/v1/webhooks/{endpointId}/replay", new { user_id = id, from_version = 2 });
        replay.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await replay.ReadObjectAsync())["queued"]!.GetValue<int>().ShouldBe(expected.Count(v => v >= 2));

        var again = expected.Where(v => v >= 2).ToList();
        var received = await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= expected.Count + again.Count,
            what: "the replayed deliveries");
        received.Skip(expected.Count).Select(r => r.Version).ShouldBe(again);
        received.ShouldAllBe(r => Verifies(secret, r));
        (await stack.DeliveriesAsync(endpointId)).Count(d => d!["replay"]!.GetValue<bool>()).ShouldBe(again.Count);
    }

    [Fact]
    public async Task replay_from_a_time_or_a_sequence_and_bad_starts_are_refused_per_field()
    {
        using var receiver = new WebhookReceiver();
        var (endpointId, _) = await stack.RegisterEndpointAsync(receiver.Url, "UserRegistered");
        var none = await stack.Api.PostJsonAsync($"/api/v1/webhooks/{endpointId}/replay", new { from_version = 1 });
        none.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await none.Content.ReadAsStringAsync()).ShouldContain("\"/user_id\"");
        var two = await stack.Api.PostJsonAsync($"/api/v1/webhooks/{endpointId}/replay", new { from_time = DateTimeOffset.UtcNow, from_sequence = 1 });
        two.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var since = DateTimeOffset.UtcNow;
        var id = await stack.RegisterSettledAsync("since");
        await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= 1, what: "the registration");
        var byTime = await stack.Api.PostJsonAsync($"/api/v1/webhooks/{endpointId}/replay", new { from_time = since.AddSeconds(-1) });
        byTime.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await byTime.ReadObjectAsync())["queued"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        await Eventually.Until(() => Task.FromResult(receiver.Of(id)), r => r.Count >= 2, what: "the replay by time");
    }

    [Fact]
    public async Task registration_refuses_bad_fields_each_by_its_pointer()
    {
        var response = await stack.Api.PostJsonAsync("/api/v1/webhooks",
            new { url = "ftp://127.0.0.1/x", event_types = new[] { "UserRegistered", "NoSuchEvent" }, colour = "blue" });
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var paths = (await response.ReadObjectAsync())["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        paths.ShouldBe(["/colour", "/url", "/event_types/1"], ignoreOrder: true);

        // Listed hosts only: 127.0.0.1 is listed in this stack, another host is not.
        var elsewhere = await stack.Api.PostJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/in" });
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await elsewhere.Content.ReadAsStringAsync()).ShouldContain("\"/url\"");
    }

    [Fact]
    public async Task only_an_admin_may_manage_webhooks()
    {
        var user = await stack.RegisterSettledAsync("notadmin");
        var callers = new (HttpClient Client, HttpStatusCode Expected)[]
        {
            (stack.AnonymousClient(), HttpStatusCode.Unauthorized),
            (stack.ClientFor(user), HttpStatusCode.Forbidden),
            (stack.ClientFor(user, "auditor"), HttpStatusCode.Forbidden),
        };
        using var receiver = new WebhookReceiver();
        var (endpointId, _) = await stack.RegisterEndpointAsync(receiver.Url);
        foreach (var (client, expected) in callers)
        {
            (await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url })).StatusCode.ShouldBe(expected);
            (await client.GetAsync("/api/v1/webhooks")).StatusCode.ShouldBe(expected);
            (await client.GetAsync($"/api/v1/webhooks/{endpointId}/deliveries")).StatusCode.ShouldBe(expected);
            (await client.PostAsync($"/api/v1/webhooks/{endpointId}/rotate-secret", null)).StatusCode.ShouldBe(expected);
            (await client.DeleteAsync($"/api/v1/webhooks/{endpointId}")).StatusCode.ShouldBe(expected);
        }
    }

    [Fact]
    public async Task a_disabled_endpoint_gets_nothing_and_a_deleted_one_is_gone()
    {
        using var receiver = new WebhookReceiver();
        var (endpointId, _) = await stack.RegisterEndpointAsync(receiver.Url, "UserRegistered");
        var disabled = await stack.Api.PostAsync($"/api/v1/webhooks/{endpointId}/disable", null);
        (await disabled.ReadObjectAsync())["enabled"]!.GetValue<bool>().ShouldBeFalse();
        var id = await stack.RegisterSettledAsync("disabled");
        await Task.Delay(TimeSpan.FromSeconds(1));
        receiver.Of(id).ShouldBeEmpty();
        (await stack.DeliveriesAsync(endpointId)).ShouldNotContain(d => d!["user_id"]!.GetValue<Guid>() == id);

        (await stack.Api.PostAsync($"/api/v1/webhooks/{endpointId}/enable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var later = await stack.RegisterSettledAsync("enabled");
        await Eventually.Until(() => Task.FromResult(receiver.Of(later)), r => r.Count >= 1, what: "a delivery after enabling");

        (await stack.Api.DeleteAsync($"/api/v1/webhooks/{endpointId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await stack.Api.GetAsync($"/api/v1/webhooks/{endpointId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static bool Verifies(string secret, ReceivedWebhook delivery)
    {
        try
        {
            new StandardWebhook(secret).Verify(delivery.Body, delivery.Headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    private static Microsoft.AspNetCore.Http.HeaderDictionary Copy(Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        var copy = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, value) in headers)
            copy[name] = value;
        return copy;
    }
}
