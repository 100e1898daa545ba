using System.Net;
using System.Text;
using Marten;
using RabbitMQ.Client;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Delivery;

[Collection(StackCollection.Name)]
public sealed class ConsumerFaultTests(UsersStack stack, ITestOutputHelper output)
{
    // The worker's one queue for every user event (bound to every contract's exchange).
    private const string EmailChangedQueue = global::Users.Notifications.Consumers.UserEventsEndpoint.Queue;

    [Fact]
    public async Task the_same_email_changed_delivered_three_more_times_sends_one_verification_mail_and_one_notice()
    {
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.RabbitMqUri);
        var (id, oldEmail) = await RegisterAsync("dup");
        var newEmail = HttpJson.UniqueEmail("dup-new");
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = newEmail })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.Mail.WaitForMailToAsync(newEmail);
        await stack.Mail.WaitForMailToAsync(oldEmail, 2);

        // The envelope exactly as it went out, published again three times: what a redelivery looks like.
        var original = await Eventually.Until(() => Task.FromResult(subscriber.Received.FirstOrDefault(r => r.Type == "EmailChanged"
            && r.Envelope["message"]!["user_id"]!.GetValue<Guid>() == id).Envelope), e => e is not null, what: "the EmailChanged envelope");
        var acknowledgedBefore = await Eventually.Until(() => RabbitManagement.AcknowledgedAsync(stack.RabbitMqUri, EmailChangedQueue),
            n => n >= 1, TimeSpan.FromSeconds(20), "the first delivery in the queue statistics");
        var body = Encoding.UTF8.GetBytes(original!.ToJsonString());
        for (var i = 0; i < 3; i++)
            await RabbitSubscriber.PublishRawAsync(stack.RabbitMqUri, "EmailChanged", body);
        var acknowledgedAfter = await Eventually.Until(() => RabbitManagement.AcknowledgedAsync(stack.RabbitMqUri, EmailChangedQueue),
            n => n >= acknowledgedBefore + 3, TimeSpan.FromSeconds(20), "the three redeliveries consumed");

        stack.Mail.To(newEmail).Count.ShouldBe(1, "one verification mail");
        stack.Mail.To(oldEmail).Count.ShouldBe(2, "the registration mail and one notice");
        await using var session = stack.Store.QuerySession();
        (await session.Events.FetchStreamAsync(id)).Count.ShouldBe(4, "registered, requested, changed, requested: nothing appended twice");
        output.WriteLine($"Duplicate delivery: EmailChanged delivered 1 + 3 times (queue acknowledgements during the redelivery phase: {acknowledgedAfter - acknowledgedBefore}), " +
            $"verification mails {stack.Mail.To(newEmail).Count}, notices {stack.Mail.To(oldEmail).Count - 1}.");
    }

    [Fact]
    public async Task a_poison_message_lands_in_the_error_queue_and_the_consumer_keeps_working()
    {
        var errorQueue = EmailChangedQueue + "_error";
        var before = await ErrorQueueDepthAsync(errorQueue);
        await RabbitSubscriber.PublishRawAsync(stack.RabbitMqUri, "EmailChanged", "{ this is not json"u8.ToArray());

        var after = await Eventually.Until(() => ErrorQueueDepthAsync(errorQueue), n => n > before, TimeSpan.FromSeconds(30),
            "the poison message in " + errorQueue);
        after.ShouldBe(before + 1);

        // A valid message after it is handled.
        var (id, _) = await RegisterAsync("after-poison");
        var newEmail = HttpJson.UniqueEmail("after-poison-new");
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { email = newEmail })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.Mail.WaitForMailToAsync(newEmail);
        output.WriteLine($"Poison: 1 undeserializable message → {errorQueue} holds {after - before} more; a later valid EmailChanged was mailed.");
    }

    [Fact]
    public async Task a_mail_refused_while_smtp_is_down_arrives_after_it_returns()
    {
        var email = HttpJson.UniqueEmail("smtp-down");
        var refusedBefore = stack.Mail.Refused;
        stack.Mail.Refusing = true;
        int refusals;
        try
        {
            var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            // Down long enough for several tries to fail.
            refusals = await Eventually.Until(() => Task.FromResult(stack.Mail.Refused - refusedBefore), n => n >= 3,
                TimeSpan.FromSeconds(20), "three refused tries");
            stack.Mail.To(email).Count.ShouldBe(0);
        }
        finally
        {
            stack.Mail.Refusing = false;
        }

        var mail = await stack.Mail.WaitForMailToAsync(email, timeout: TimeSpan.FromSeconds(30));
        mail.TextBody.ShouldNotBeNullOrEmpty();
        await Task.Delay(500);
        stack.Mail.To(email).Count.ShouldBe(1);
        output.WriteLine($"SMTP down: {refusals} tries refused, then the mail arrived once.");
    }

    private async Task<long> ErrorQueueDepthAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(stack.RabbitMqUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // Not declared yet: MassTransit creates it with the first fault.
        }
    }

    private async Task<(Guid Id, string Email)> RegisterAsync(string name)
    {
        var email = HttpJson.UniqueEmail(name);
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        await stack.Mail.WaitForMailToAsync(email);
        await Eventually.Until(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0;
        }, v => v >= 2, what: "EmailVerificationRequested");
        return (id, email);
    }
}
