using System.Net;
using Users.Api.Tests.Infrastructure;
using Users.Notifications.Consumers;
using Xunit.Abstractions;
using DomainEvents = Users.Domain.Events;

namespace Users.Api.Tests.Delivery;

/// <summary>The API in-process, the worker as an OS process of its own, so the test can kill it outright.</summary>
public sealed class WorkerCrashStack : UsersStack
{
    protected override bool StartWorker => false;

    public Task<ApiProcess> StartWorkerProcessAsync() => ApiProcess.StartAsync(
        CommonSettings().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__"), kv => kv.Value!),
        program: "Users.Notifications.dll");
}

[CollectionDefinition(Name)]
public sealed class WorkerCrashCollection : ICollectionFixture<WorkerCrashStack>
{
    public const string Name = "worker-crash";
}

[Collection(WorkerCrashCollection.Name)]
public sealed class WorkerCrashTests(WorkerCrashStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task a_worker_killed_between_the_mail_and_its_record_mails_once_and_records_once_after_the_restart()
    {
        var worker = await stack.StartWorkerProcessAsync();
        try
        {
            var first = HttpJson.UniqueEmail("crash");
            var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = first });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
            await stack.WaitForVersionAsync(id, 2);
            await stack.Mail.WaitForMailToAsync(first);

            // SIGKILL the worker the moment the SMTP server has taken the verification mail, before it answers: the
            // mail is out, the worker never hears so, and has sent no record.
            var second = HttpJson.UniqueEmail("crash-new");
            var killed = new TaskCompletionSource();
            stack.Mail.OnAccepted = mail =>
            {
                if (!mail.To.Mailboxes.Any(b => string.Equals(b.Address, second, StringComparison.OrdinalIgnoreCase)))
                    return;
                worker.Kill();
                killed.TrySetResult();
            };
            (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = second })).StatusCode.ShouldBe(HttpStatusCode.OK);
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            stack.Mail.OnAccepted = null;
            await Task.Delay(TimeSpan.FromSeconds(1));
            (await stack.StreamAsync(id)).Count.ShouldBe(3, "registered, its request, the change: nothing recorded for the change yet");
            stack.Mail.To(second).Count.ShouldBe(1);

            await worker.DisposeAsync();
            var restarted = DateTime.UtcNow;
            worker = await stack.StartWorkerProcessAsync();
            await stack.WaitForVersionAsync(id, 4);
            await stack.Mail.WaitForMailToAsync(first, 2);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var events = await stack.StreamAsync(id);
            events.Count.ShouldBe(4);
            var changed = events[2];
            changed.Data.ShouldBeOfType<DomainEvents.EmailChanged>();
            var requestsForTheChange = events.Where(e => e.Data is DomainEvents.EmailVerificationRequested r && r.CausationEventId == changed.Id).ToList();
            requestsForTheChange.Count.ShouldBe(1, "one EmailVerificationRequested for the change");
            requestsForTheChange[0].CausationId.ShouldBe(changed.Id.ToString());
            stack.Mail.To(second).Count.ShouldBe(1, "one verification mail to the new address, sent before the crash and not again");
            stack.Mail.To(first).Count.ShouldBe(2, "the registration's verification and the notice (mailed after the restart)");

            // The change reached the worker twice (the killed consume, then the redelivery), and was acknowledged once.
            var queue = await Eventually.Until(() => RabbitManagement.QueueAsync(stack.RabbitMqUri, UserEventsEndpoint.Queue),
                q => (q?["message_stats"]?["ack"]?.GetValue<long>() ?? 0) >= 4, TimeSpan.FromSeconds(20), "the queue statistics");
            var stats = queue!["message_stats"]!;
            output.WriteLine($"Worker killed between the mail and its record: events to the worker acknowledged {stats["ack"]}, " +
                $"delivered {stats["deliver_get"]} (redelivered {stats["redeliver"]}); after the restart ({(DateTime.UtcNow - restarted).TotalSeconds:F1} s " +
                $"to settle): mails to the new address {stack.Mail.To(second).Count}, to the old one {stack.Mail.To(first).Count} " +
                $"(registration + notice); EmailVerificationRequested for the change {requestsForTheChange.Count}; stream " +
                $"{string.Join(", ", events.Select(e => $"v{e.Version} {e.Data.GetType().Name}"))}.");
        }
        finally
        {
            stack.Mail.OnAccepted = null;
            await worker.DisposeAsync();
        }
    }
}
