using System.Net;
using System.Text;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Users.Api.Tests.Infrastructure;
using Users.Notifications.Consumers;
using Users.Notifications.Ordering;
using Xunit.Abstractions;
using DomainEvents = Users.Domain.Events;
using Steps = Users.Api.Tests.Infrastructure.AuditingSteps;

namespace Users.Api.Tests.Delivery;

/// <summary>A stack of its own: the test stops the worker, and feeds its queue by hand.</summary>
public sealed class VersionGateStack : UsersStack;

[CollectionDefinition(Name)]
public sealed class VersionGateCollection : ICollectionFixture<VersionGateStack>
{
    public const string Name = "version-gate";
}

[Collection(VersionGateCollection.Name)]
public sealed class VersionGateTests(VersionGateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task a_users_events_delivered_out_of_order_and_twice_have_their_effects_once_each_in_version_order()
    {
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.RabbitMqUri);
        // The worker is away while the user acts: its queue fills, and is then emptied, so that it sees only
        // what the test delivers below.
        await stack.StopWorkerAsync();
        var first = HttpJson.UniqueEmail("gate");
        var second = HttpJson.UniqueEmail("gate-new");
        var id = await Steps.RegisterAsync(stack, new { email = first }, "gate-register");                                      // v1
        (await Steps.SendAsync(stack, HttpMethod.Patch, $"/api/v1/users/{id}", new { first_name = "Ada" }, "gate-name"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);                                                                     // v2
        (await Steps.SendAsync(stack, HttpMethod.Patch, $"/api/v1/users/{id}", new { email = second }, "gate-change"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);                                                                     // v3
        (await Steps.SendAsync(stack, HttpMethod.Post, $"/api/v1/users/{id}/email/verification", correlationId: "gate-resend"))
            .StatusCode.ShouldBe(HttpStatusCode.Accepted);                                                               // v4
        var published = await Eventually.Until(() => Task.FromResult(subscriber.Received
                .Where(r => r.Envelope["message"]!["user_id"]!.GetValue<Guid>() == id).ToList()),
            r => r.Count >= 4, what: "the user's four events on RabbitMQ");
        await PurgeAsync(UserEventsEndpoint.Queue);

        // Deliveries as a recovery might make them: newest first, each version twice.
        long[] order = [4, 3, 2, 3, 1, 2, 4, 1];
        var byVersion = published.ToDictionary(r => r.Envelope["message"]!["version"]!.GetValue<long>());
        foreach (var version in order)
            await RabbitSubscriber.PublishRawAsync(stack.RabbitMqUri, byVersion[version].Type,
                Encoding.UTF8.GetBytes(byVersion[version].Envelope.ToJsonString()));
        await stack.StartWorkerAsync();

        // v3 (change of email) and v4 (resend) each lead to one recorded request, v5 and v6, in that order.
        await stack.WaitForVersionAsync(id, 6);
        var progress = await Eventually.Until(ProgressAsync(id), p => p >= 6, what: "the worker's progress through v6");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(6, "nothing recorded twice");
        var requested = events.Where(e => e.Data is DomainEvents.EmailVerificationRequested).ToList();
        requested.Select(e => e.Version).ShouldBe([5L, 6L]);
        requested.Select(e => e.CausationId).ShouldBe([events[2].Id.ToString(), events[3].Id.ToString()], "in the order of their causes");
        requested.Select(e => ((DomainEvents.EmailVerificationRequested)e.Data).CausationEventId).ShouldBe([events[2].Id, events[3].Id]);

        // Mails: none for v1 (the first address is no longer the user's), the verification of v3 before that of v4,
        // and one notice to the old address.
        stack.Mail.To(second).Select(m => m.Headers["X-Correlation-Id"]).ShouldBe(["gate-change", "gate-resend"]);
        stack.Mail.To(first).Select(m => m.Headers["X-Correlation-Id"]).ShouldBe(["gate-change"]);
        stack.Mail.To(first).Single().Subject.ShouldBe("The email address of your account was changed");

        var acknowledged = await Eventually.Until(() => RabbitManagement.AcknowledgedAsync(stack.RabbitMqUri, UserEventsEndpoint.Queue),
            n => n >= order.Length + 2, TimeSpan.FromSeconds(20), "the deliveries in the queue statistics");
        output.WriteLine($"Version gate: delivered v{string.Join(", v", order)} ({order.Length} deliveries of 4 events) then v5, v6 " +
            $"(the recorded requests); acknowledged by the worker queue {acknowledged}; progress v{progress}; " +
            $"mails: {stack.Mail.To(second).Count} verifications ({string.Join(", ", stack.Mail.To(second).Select(m => m.Headers["X-Correlation-Id"]))}), " +
            $"{stack.Mail.To(first).Count} notice; stream: {string.Join(", ", events.Select(e => $"v{e.Version} {e.Data.GetType().Name}"))}.");
    }

    [Fact]
    public void the_gated_queue_consumes_every_published_contract() =>
        UserEventsEndpoint.ContractTypes.Select(t => t.FullName).Order()
            .ShouldBe(Projections.IntegrationEvents.ContractTypes.Select(t => t.FullName).Order(),
                "a version the gate never sees would hold the user's later events until they dead-letter");

    private Func<Task<long>> ProgressAsync(Guid id) => async () =>
    {
        await using var session = stack.WorkerServices!.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<ConsumerProgress>(ConsumerProgress.IdFor(VersionGate.Consumer, id)))?.LastVersion ?? 0;
    };

    private async Task PurgeAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(stack.RabbitMqUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }
}
