using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Users.Commands;
using Xunit.Abstractions;
using DomainEvents = Users.Domain.Events;

namespace Users.Api.Tests.Delivery;

/// <summary>The API's side of the worker's commands: what the worker sends, sent again and again, as raw MassTransit envelopes.</summary>
[Collection(StackCollection.Name)]
public sealed class WorkerCommandTests(UsersStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task a_record_command_sent_again_or_redelivered_appends_once_and_one_for_nobody_appends_nothing()
    {
        var id = await stack.RegisterSettledAsync("cmd");
        var settled = await stack.StreamAsync(id);
        var email = ((DomainEvents.UserRegistered)settled[0].Data).Email;

        // The worker's command for the registration (already recorded as v2) sent again after a crash (new message
        // ids) and redelivered by the broker (same id); a new cause, twice; and one for a user that does not exist.
        var again = Command(id, email, settled[0].Id, "cmd-again");
        var fresh = Command(id, email, Guid.CreateVersion7(), "cmd-fresh");
        var redelivered = Guid.NewGuid();
        (RecordEmailVerificationRequested Command, Guid MessageId)[] sent =
        [
            (again, Guid.NewGuid()), (again, redelivered), (again, redelivered),
            (fresh, Guid.NewGuid()), (fresh, Guid.NewGuid()),
            (Command(Guid.CreateVersion7(), "nobody@example.com", Guid.NewGuid(), "cmd-nobody"), Guid.NewGuid()),
        ];
        foreach (var (command, messageId) in sent)
            await RabbitSubscriber.PublishToExchangeAsync(stack.RabbitMqUri, ApiCommandQueue.Name, Envelope(command, messageId), messageId);

        await stack.WaitForVersionAsync(id, 3);
        await Eventually.Until(async () => await RabbitManagement.MessagesAsync(stack.RabbitMqUri, ApiCommandQueue.Name) + await CountAsync(
            "select count(*) from {schema}.wolverine_incoming_envelopes where status <> 'Handled'"), n => n == 0, TimeSpan.FromSeconds(20),
            "every command taken from the queue and handled");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var events = await stack.StreamAsync(id);
        events.Count.ShouldBe(3, "v1 registered, v2 its request (the worker's), v3 the new cause's: nothing twice");
        var recorded = events[2];
        recorded.Data.ShouldBe(new DomainEvents.EmailVerificationRequested(email, fresh.ExpiresAt, fresh.CausationEventId));
        (recorded.UserName, recorded.CorrelationId, recorded.CausationId).ShouldBe(("system", "cmd-fresh", fresh.CausationEventId.ToString()));
        recorded.Headers!["origin"].ToString().ShouldBe("notifications");
        var deadLetters = await CountAsync("select count(*) from {schema}.wolverine_dead_letters");
        deadLetters.ShouldBe(0, "a command for nobody is dropped after a log line, not dead-lettered or retried");
        output.WriteLine($"Worker commands: {sent.Length} sent ({sent.Select(s => s.MessageId).Distinct().Count()} message ids, " +
            $"{sent.Select(s => s.Command.CausationEventId).Distinct().Count()} causes, one for an unknown user); " +
            $"appended: {events.Count - settled.Count} (v3, the new cause); dead letters: {deadLetters}.");
    }

    private static RecordEmailVerificationRequested Command(Guid userId, string email, Guid causation, string correlation) => new()
    {
        UserId = userId,
        Email = email,
        ExpiresAt = new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero),
        CausationEventId = causation,
        CorrelationId = correlation,
    };

    /// <summary>The body MassTransit's Send writes: its JSON envelope around the command.</summary>
    private static byte[] Envelope(RecordEmailVerificationRequested command, Guid messageId) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["messageId"] = messageId.ToString(),
        ["messageType"] = new JsonArray($"urn:message:{typeof(RecordEmailVerificationRequested).Namespace}:{nameof(RecordEmailVerificationRequested)}"),
        ["sentTime"] = DateTime.UtcNow,
        ["message"] = JsonSerializer.SerializeToNode(command),
    }.ToJsonString());

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(sql.Replace("{schema}", stack.Schema), connection);
        return (long)(await query.ExecuteScalarAsync())!;
    }
}
