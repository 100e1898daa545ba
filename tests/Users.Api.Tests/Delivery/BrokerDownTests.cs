using System.Net;
using Marten;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

[Collection(BrokerCutCollection.Name)]
public sealed class BrokerDownTests(BrokerCutStack stack, ITestOutputHelper output)
{
    private static readonly string[] UpdateTypes = ["UserProfileUpdated", "EmailChanged"];

    [Fact]
    public async Task updates_acknowledged_while_the_broker_is_unreachable_all_arrive_once_it_returns_with_one_effect_each()
    {
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.RabbitMqUri);
        const int userCount = 20, updatesPerUser = 10;
        var users = new List<(Guid Id, string OldEmail, string NewEmail)>();
        for (var i = 0; i < userCount; i++)
        {
            var email = HttpJson.UniqueEmail("cut");
            var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            users.Add(((await created.ReadObjectAsync())["id"]!.GetValue<Guid>(), email, HttpJson.UniqueEmail("moved")));
        }
        await Eventually.Until(() => Task.FromResult(subscriber.Messages("UserRegistered").Count), n => n >= userCount,
            what: "registrations on RabbitMQ before the cut");

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} cut");
        stack.Proxy.Cut();
        try
        {
            // 200 updates: per user nine name changes and one change of email, each acknowledged.
            var statuses = await Task.WhenAll(users.Select(async user =>
            {
                var codes = new List<HttpStatusCode>();
                for (var k = 0; k < updatesPerUser; k++)
                {
                    object patch = k == 4 ? new { email = user.NewEmail } : new { first_name = $"Name{k}" };
                    codes.Add((await stack.Api.PatchJsonAsync($"/api/v1/users/{user.Id}", patch)).StatusCode);
                }
                return codes;
            }));
            statuses.SelectMany(s => s).ShouldAllBe(code => code == HttpStatusCode.OK);

            // Stay cut long enough for the outbox's sends to fail repeatedly.
            await Task.Delay(TimeSpan.FromSeconds(5));
            subscriber.Messages(UpdateTypes).Count.ShouldBe(0, "nothing can pass the cut");
        }
        finally
        {
            stack.Proxy.Restore();
        }

        var restored = DateTime.UtcNow;
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restored");
        var updates = await Eventually.Until(() => Task.FromResult(DeliveryFigures.Of(subscriber.Messages(UpdateTypes))),
            f => f.Distinct >= userCount * updatesPerUser, TimeSpan.FromSeconds(45), "the 200 updates after the cut");
        var latency = DateTime.UtcNow - restored;
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} all updates arrived");

        // The worker's effect of each EmailChanged: one verification mail to the new address.
        foreach (var user in users)
            await stack.Mail.WaitForMailToAsync(user.NewEmail);
        // Every user's events up to the last update arrive gapless, and then the worker's own follow-up events
        // (EmailVerificationRequested, recorded by the API at the worker's request through the same outbox).
        var followUpsMissing = 0;
        foreach (var user in users)
        {
            long lastUpdate;
            await using (var session = stack.Store.QuerySession())
                lastUpdate = (await session.Events.FetchStreamAsync(user.Id))
                    .Where(e => e.Data is global::Users.Domain.Events.UserProfileUpdated or global::Users.Domain.Events.EmailChanged)
                    .Max(e => e.Version);
            await Eventually.Until(() => Task.FromResult(subscriber.For(user.Id).Select(m => m.Message["version"]!.GetValue<long>()).Where(v => v <= lastUpdate).Distinct().Count()),
                n => n >= lastUpdate, TimeSpan.FromSeconds(60), $"events 1..{lastUpdate} of {user.Id}");
            subscriber.For(user.Id).Select(m => m.Message["version"]!.GetValue<long>()).Where(v => v <= lastUpdate).Distinct().Order()
                .ShouldBe(Enumerable.Range(1, (int)lastUpdate).Select(v => (long)v));
            // The worker's follow-up may still be on its way: every version of the stream arrives, none skipped.
            followUpsMissing += await Eventually.Until(async () =>
            {
                await using var session = stack.Store.QuerySession();
                var streamVersion = (await session.Events.FetchStreamStateAsync(user.Id))!.Version;
                return (int)(streamVersion - subscriber.For(user.Id).Select(m => m.Message["version"]!.GetValue<long>()).Distinct().Count());
            }, missing => missing == 0, TimeSpan.FromSeconds(30), $"every version of {user.Id}");
        }
        output.WriteLine($"worker follow-up events not delivered: {followUpsMissing}");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} mails and versions complete");
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var user in users)
            stack.Mail.To(user.NewEmail).Count.ShouldBe(1, "one verification mail per EmailChanged");

        updates = DeliveryFigures.Of(subscriber.Messages(UpdateTypes));
        updates.Distinct.ShouldBe(userCount * updatesPerUser);
        var inOrder = users.Count(u => DeliveryFigures.IsAscending(subscriber.For(u.Id).Select(m => m.Message["version"]!.GetValue<long>()).Distinct()));
        output.WriteLine($"Broker cut: {userCount * updatesPerUser} updates acknowledged during the cut; after restore: {updates}; " +
            $"all arrived {latency.TotalSeconds:F1} s after the restore; {inOrder}/{userCount} users' events arrived in version order; " +
            $"verification mails to the new addresses: {users.Sum(u => stack.Mail.To(u.NewEmail).Count)}.");
    }
}
