using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

[Collection(StackCollection.Name)]
public sealed class ScriptedSessionTests(UsersStack stack, ITestOutputHelper output)
{
    private static readonly string[] CommonFields = ["event_id", "user_id", "version", "occurred_at", "actor", "correlation_id"];

    [Fact]
    public async Task an_independent_subscriber_receives_every_event_of_a_session_in_version_order_with_the_documented_fields()
    {
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.RabbitMqUri);
        var correlation = "session-" + Guid.NewGuid().ToString("N")[..8];
        stack.Api.DefaultRequestHeaders.Remove("X-Correlation-Id");
        var firstEmail = HttpJson.UniqueEmail("script");
        var secondEmail = HttpJson.UniqueEmail("script2");
        Guid id;
        try
        {
            stack.Api.DefaultRequestHeaders.Add("X-Correlation-Id", correlation);

            // v1 UserRegistered → the worker: v2 EmailVerificationRequested.
            var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = firstEmail });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
            await stack.WaitForVersionAsync(id, 2);

            // v3 EmailVerified (only an address verified when a change leaves it can be restored).
            var verification = await stack.Mail.WaitForMailToAsync(firstEmail);
            (await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/verify", new { token = MailTokens.Verification(verification) }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);

            // v4 UserProfileUpdated, v5 EmailChanged (one request) → the worker: v6 EmailVerificationRequested.
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = "Grace", email = secondEmail })).StatusCode.ShouldBe(HttpStatusCode.OK);
            await stack.WaitForVersionAsync(id, 6);
            var notice = await stack.Mail.WaitForMailToAsync(firstEmail, 2);

            // v7 EmailVerificationResendRequested → the worker: v8 EmailVerificationRequested.
            (await stack.Api.PostAsync($"/api/v1/users/{id}/email/verification", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await stack.WaitForVersionAsync(id, 8);

            // v9 EmailChangeReverted: the previous address is back, verified.
            var reverted = await stack.Api.PostJsonAsync($"/api/v1/users/{id}/email/revert", new { token = MailTokens.Revert(notice) });
            reverted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            stack.Api.DefaultRequestHeaders.Remove("X-Correlation-Id");
        }

        string[] expected = ["UserRegistered", "EmailVerificationRequested", "EmailVerified", "UserProfileUpdated", "EmailChanged",
            "EmailVerificationRequested", "EmailVerificationResendRequested", "EmailVerificationRequested", "EmailChangeReverted"];
        var received = await Eventually.Until(() => Task.FromResult(subscriber.For(id)), r => r.Count >= expected.Length,
            what: "the session's events on RabbitMQ");
        await Task.Delay(500);
        received = subscriber.For(id);

        // Arrival order is version order, gapless, no duplicates.
        received.Select(r => r.Type).ShouldBe(expected);
        received.Select(r => r.Message["version"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, expected.Length).Select(v => (long)v));
        foreach (var (type, message) in received)
        {
            foreach (var field in CommonFields)
                message.ContainsKey(field).ShouldBeTrue($"{type} lacks {field}");
            message["user_id"]!.GetValue<Guid>().ShouldBe(id);
            // The request's correlation id travels with every event, also those the worker appended in its wake.
            message["correlation_id"]!.GetValue<string>().ShouldBe(correlation, type);
        }
        var byType = received.ToLookup(r => r.Type, r => r.Message);
        byType["UserRegistered"].Single()["email"]!.GetValue<string>().ShouldBe(firstEmail);
        byType["UserProfileUpdated"].Single()["changes"]!["first_name"]!["to"]!.GetValue<string>().ShouldBe("Grace");
        var changed = byType["EmailChanged"].Single();
        (changed["old_email"]!.GetValue<string>(), changed["new_email"]!.GetValue<string>()).ShouldBe((firstEmail, secondEmail));
        byType["EmailVerificationRequested"].Last()["expires_at"].ShouldNotBeNull();
        var revert = byType["EmailChangeReverted"].Single();
        (revert["reverted_email"]!.GetValue<string>(), revert["restored_email"]!.GetValue<string>()).ShouldBe((secondEmail, firstEmail));
        // The worker appends as "system"; the API stamps the caller.
        byType["EmailVerificationRequested"].Select(m => m["actor"]!.GetValue<string>()).ShouldAllBe(a => a == "system");
        byType["EmailChanged"].Single()["actor"]!.GetValue<string>().ShouldNotBe("system");

        // The MassTransit envelope around each.
        var envelope = subscriber.Received.First(r => r.Envelope["message"]!["event_id"]!.GetValue<Guid>() == changed["event_id"]!.GetValue<Guid>()).Envelope;
        envelope["messageType"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldContain("urn:message:Users.Contracts:EmailChanged");
        envelope["messageId"].ShouldNotBeNull();
        output.WriteLine(envelope.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        // The mails carry the correlation id too, and have both parts.
        foreach (var mail in stack.Mail.To(secondEmail).Concat(stack.Mail.To(firstEmail)))
        {
            mail.Headers["X-Correlation-Id"].ShouldBe(correlation);
            mail.TextBody.ShouldNotBeNullOrEmpty();
            mail.HtmlBody.ShouldNotBeNullOrEmpty();
        }
    }
}
