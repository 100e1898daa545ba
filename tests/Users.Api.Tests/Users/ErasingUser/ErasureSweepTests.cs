using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Users.Api.Tests.Infrastructure;
using Users.Commands;
using Xunit.Abstractions;

namespace Users.Api.Tests.Auditing;

/// <summary>
/// Erasure, seen from outside: a user with a distinctive value in every personal field leaves traces wherever the
/// service keeps anything (events, documents, tokens, idempotency records, Wolverine's inbox and dead letters, the
/// broker's error queues); after the DELETE, no table of the stack's schema and no queue of its virtual host holds
/// any of those values.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ErasureSweepTests(UsersStack stack, ITestOutputHelper output)
{
    private const string WorkerErrorQueue = global::Users.Notifications.Consumers.UserEventsEndpoint.Queue + "_error";

    [Fact]
    public async Task after_erasure_no_table_and_no_queue_holds_any_of_the_users_values()
    {
        var m = Guid.NewGuid().ToString("N")[..12];
        var digits = Random.Shared.Next(3000, 9999);
        var email = $"sweep-{m}@example.com";
        var newEmail = $"sweep-new-{m}@example.com";
        var password = $"sweep password {m}";
        // Sent as the User-Agent of the email change: each event keeps it in its provenance header.
        var userAgent = $"SweepAgent/{m}";
        var profile = new Dictionary<string, object?>
        {
            ["email"] = email,
            ["password"] = password,
            ["first_name"] = $"Firstsweep{m}",
            ["middle_name"] = $"Middlesweep{m}",
            ["last_name"] = $"Lastsweep{m}",
            ["username"] = $"usersweep{m}",
            ["phone"] = $"+1415555{digits}",
            ["emails"] = new[] { new { email = $"sweep-second-{m}@example.com" } },
            ["phone_numbers"] = new[] { new { phone_number = $"+1650555{digits}" } },
            ["address"] = $"1 Sweepstreet{m}",
            ["company"] = $"Sweepco{m}",
            ["state"] = $"Sweepstate{m}",
            ["website"] = $"https://site-{m}.example.com/",
            ["picture"] = $"https://picture-{m}.example.com/me.png",
            ["expo_push_token"] = $"ExponentPushToken[push{m}]",
            ["stripe_customer_id"] = $"cus_{m}",
            ["namespace"] = $"ns{m}",
        };
        // Phone numbers by their digits: JSON writers may escape the '+'.
        string[] values =
        [
            m, email, newEmail, password, userAgent, $"sweep-second-{m}@example.com", $"1415555{digits}", $"1650555{digits}",
            .. profile.Where(kv => kv.Value is string && kv.Key is not ("phone" or "email" or "password")).Select(kv => (string)kv.Value!),
        ];

        var id = await stack.RegisterAsync(profile);
        await stack.Mail.WaitForMailToAsync(email);
        await stack.WaitForVersionAsync(id, 2);
        // A resend: EmailVerificationResendRequested carries the address.
        (await stack.SendAsync(HttpMethod.Post, $"/api/v1/users/{id}/email/verification")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await stack.Mail.WaitForMailToAsync(email, 2);
        await stack.WaitForVersionAsync(id, 4);
        // An email change with an Idempotency-Key: a revert token with both addresses, a kept response.
        var change = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{id}") { Content = HttpJson.Body(new { email = newEmail }) };
        change.Headers.Add("Idempotency-Key", $"sweep-{m}");
        change.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        (await stack.Api.SendAsync(change)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await stack.Mail.WaitForMailToAsync(newEmail);
        await stack.Mail.WaitForMailToAsync(email, 3);
        await stack.WaitForVersionAsync(id, 6);
        // A poisoned event in the worker's error queue, and a command the API cannot read, both naming the user.
        await RabbitSubscriber.PublishRawAsync(stack.RabbitMqUri, "EmailChanged",
            Encoding.UTF8.GetBytes($$"""{"message":{"user_id":"{{id}}","old_email":"{{email}}","new_email":"""));
        await RabbitSubscriber.PublishToExchangeAsync(stack.RabbitMqUri, ApiCommandQueue.Name, UnreadableCommand(id, email));
        // Another user's dead letter, which must stay.
        var other = Guid.CreateVersion7();
        await RabbitSubscriber.PublishRawAsync(stack.RabbitMqUri, "EmailChanged",
            Encoding.UTF8.GetBytes($$"""{"message":{"user_id":"{{other}}","old_email":"""));

        // Before: the values are there to be found (so the sweep below can find them), in tables and in queues.
        var before = await Eventually.Until(async () => { await Task.Delay(200); return await SweepAsync(values); },
            s => s.Hits.Any(h => h.Place.StartsWith("queue " + WorkerErrorQueue, StringComparison.Ordinal))
                 && s.Hits.Any(h => h.Place.Contains("wolverine_incoming", StringComparison.Ordinal))
                 && s.Hits.Any(h => h.Place.Contains("dead", StringComparison.Ordinal))
                 && s.Hits.Contains(("table mt_doc_idempotentrequest", newEmail)), // in the kept response, base64
            TimeSpan.FromSeconds(30), "the user's values in an error queue, Wolverine's inbox, a dead letter store and a kept response");
        // Personal values in events are stored sealed under the user's data key (Auditing/Encryption): the event table
        // holds none of them even before erasure, and erasure (deleting the key) leaves it as it is.
        before.Hits.ShouldNotContain(h => h.Place == "table mt_events");
        output.WriteLine($"Before erasure: {before.Tables} tables and {before.Queues} queues searched, {before.Hits.Count} hits:");
        foreach (var place in before.Hits.Select(h => h.Place).Distinct())
            output.WriteLine($"  {place}");

        (await stack.SendAsync(HttpMethod.Delete, $"/api/v1/users/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // The worker drains its error queues when it handles UserErased: give it the time to get there.
        var after = await SweepAsync(values);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); after.Hits.Count > 0 && DateTime.UtcNow < deadline; after = await SweepAsync(values))
            await Task.Delay(500);
        foreach (var (place, value) in after.Hits)
            output.WriteLine($"  left after erasure: {value} in {place}");
        output.WriteLine($"Erasure sweep: {after.Tables} tables and {after.Queues} queues searched for {values.Length} values: {after.Hits.Count} hits " +
            $"(queues: {string.Join(", ", after.QueueNames)}).");
        after.Hits.ShouldBeEmpty();
        (await RabbitManagement.PeekAsync(stack.RabbitMqUri, WorkerErrorQueue)).ShouldContain(body => body.Contains(other.ToString()),
            "another user's dead letter stays");
    }

    private sealed record Sweep(int Tables, List<string> QueueNames, List<(string Place, string Value)> Hits)
    {
        public int Queues => QueueNames.Count;
    }

    /// <summary>Every table of the stack's schema, every column as text (bytea decoded), and every queue's ready messages.</summary>
    private async Task<Sweep> SweepAsync(string[] values)
    {
        var hits = new List<(string, string)>();
        await using var connection = new NpgsqlConnection(stack.PostgresConnection);
        await connection.OpenAsync();
        var columns = new Dictionary<string, List<string>>();
        await using (var query = new NpgsqlCommand(
            "select c.table_name, c.column_name, c.data_type from information_schema.columns c " +
            "join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name " +
            "where c.table_schema = @schema and t.table_type = 'BASE TABLE' order by c.table_name, c.ordinal_position", connection))
        {
            query.Parameters.AddWithValue("schema", stack.Schema);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var column = $"\"{reader.GetString(1)}\"";
                var text = reader.GetString(2) == "bytea" ? $"encode({column}, 'escape')" : $"{column}::text";
                (columns.TryGetValue(reader.GetString(0), out var list) ? list : columns[reader.GetString(0)] = []).Add($"coalesce({text}, '')");
            }
        }
        foreach (var (table, texts) in columns)
        {
            await using var query = new NpgsqlCommand($"select concat_ws(' | ', {string.Join(", ", texts)}) from {stack.Schema}.\"{table}\"", connection);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                Find(reader.GetString(0), $"table {table}");
        }

        var queues = await RabbitManagement.QueueNamesAsync(stack.RabbitMqUri);
        foreach (var queue in queues)
            foreach (var body in await RabbitManagement.PeekAsync(stack.RabbitMqUri, queue))
                Find(body, $"queue {queue}");
        return new Sweep(columns.Count, queues, hits);

        void Find(string text, string place)
        {
            foreach (var value in values)
                if (text.Contains(value, StringComparison.OrdinalIgnoreCase) || Base64Forms(value).Any(b => text.Contains(b, StringComparison.Ordinal)))
                    hits.Add((place, value));
        }
    }

    /// <summary>
    /// The value as it reads inside base64 text (e.g. a byte[] in a JSON document, such as a kept response body), at
    /// each of the three byte alignments: the groups that hold only the value's bytes.
    /// </summary>
    private static IEnumerable<string> Base64Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var offset = 0; offset < 3; offset++)
        {
            var encoded = Convert.ToBase64String([.. new byte[offset], .. bytes]);
            var start = offset == 0 ? 0 : 4;
            var length = (offset + bytes.Length) / 3 * 4 - start;
            if (length >= 8)
                yield return encoded.Substring(start, length);
        }
    }

    /// <summary>A worker command in MassTransit's envelope that cannot be read (its expiry is no date): a dead letter.</summary>
    private static byte[] UnreadableCommand(Guid id, string email) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["messageId"] = Guid.NewGuid().ToString(),
        ["messageType"] = new JsonArray($"urn:message:{typeof(RecordEmailVerificationRequested).Namespace}:{nameof(RecordEmailVerificationRequested)}"),
        ["sentTime"] = DateTime.UtcNow,
        ["message"] = new JsonObject
        {
            ["user_id"] = id.ToString(),
            ["email"] = email,
            ["expires_at"] = "not a date",
            ["causation_event_id"] = Guid.NewGuid().ToString(),
        },
    }.ToJsonString(new JsonSerializerOptions()));
}
