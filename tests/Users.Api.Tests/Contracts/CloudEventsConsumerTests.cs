using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marten;
using RabbitMQ.Client;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Contracts;

/// <summary>
/// The Python consumer docs/events.md shows (pika, no MassTransit) runs against the stack's broker: it prints each
/// event's CloudEvents headers and its contract, every user's events in version order.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class CloudEventsConsumerTests(UsersStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task the_documented_python_consumer_prints_every_event_with_its_cloudevents_attributes_in_per_user_order()
    {
        var script = Path.Combine(Path.GetTempPath(), $"consume-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, DocumentedPythonConsumer());
        var queue = "python-" + Guid.NewGuid().ToString("N")[..8];
        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        using var python = StartPython(script, stack.RabbitMqUri, queue, lines, errors);
        try
        {
            await Eventually.Until(async () => (await RabbitManagement.QueueAsync(stack.RabbitMqUri, queue))?["consumers"]?.GetValue<int>() ?? 0,
                consumers => consumers > 0 || python.HasExited, TimeSpan.FromSeconds(30), "the Python consumer on its queue");
            python.HasExited.ShouldBeFalse("python exited: " + string.Join("\n", errors));

            // Two users, updates interleaved; the worker adds each one's EmailVerificationRequested in its own time.
            var users = new List<Guid>();
            foreach (var name in new[] { "py-a", "py-b" })
            {
                var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email = HttpJson.UniqueEmail(name) });
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                users.Add((await created.ReadObjectAsync())["id"]!.GetValue<Guid>());
            }
            foreach (var name in new[] { "Ada", "Grace", "Edsger" })
                foreach (var id in users)
                    (await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = name })).StatusCode.ShouldBe(HttpStatusCode.OK);

            // Registered, three updates, the worker's verification request.
            var versions = new Dictionary<Guid, long>();
            foreach (var id in users)
                versions[id] = await Eventually.Until(() => StreamVersionAsync(id), v => v >= 5, what: $"the worker's record for {id}");
            var printed = await Eventually.Until(() => Task.FromResult(Parse(lines)),
                events => users.All(id => events.Count(e => Subject(e) == id) >= versions[id]),
                TimeSpan.FromSeconds(30), "every event printed by the Python consumer");
            foreach (var line in lines.Take(3))
                output.WriteLine(line);

            foreach (var id in users)
            {
                var mine = printed.Where(e => Subject(e) == id).ToList();
                // Per-user order: versions 1..n, gapless, as they arrived.
                mine.Select(e => e["data"]!["version"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, (int)versions[id]).Select(v => (long)v));
                foreach (var e in mine)
                {
                    var (ce, data) = (e["ce"]!.AsObject(), e["data"]!.AsObject());
                    Text(ce["specversion"]).ShouldBe("1.0");
                    Text(ce["id"]).ShouldBe(Text(data["event_id"]));
                    Text(ce["source"]).ShouldBe("/users");
                    Text(ce["subject"]).ShouldBe(Text(data["user_id"]));
                    Text(ce["time"]).ShouldEndWith("Z");
                    DateTimeOffset.Parse(Text(ce["time"])!).ShouldBe(DateTimeOffset.Parse(Text(data["occurred_at"])!));
                    Text(ce["datacontenttype"]).ShouldBe("application/vnd.masstransit+json");
                    Text(ce["type"]).ShouldBe(ExpectedType(data), data.ToJsonString());
                }
                Text(mine[0]["ce"]!["type"]).ShouldBe("com.users.user_registered.v1");
                mine.Count(e => Text(e["ce"]!["type"]) == "com.users.user_profile_updated.v1").ShouldBe(3);
                mine.Where(e => e["data"]!["changes"] is not null).Select(e => e["data"]!["changes"]!["first_name"]!["to"]!.GetValue<string>())
                    .ShouldBe(["Ada", "Grace", "Edsger"]);
            }
        }
        finally
        {
            if (!python.HasExited)
                python.Kill(entireProcessTree: true);
            await python.WaitForExitAsync();
            File.Delete(script);
            await DeleteQueueAsync(queue);
        }
    }

    /// <summary>The one ```python block of docs/events.md, as a reader would copy it.</summary>
    private static string DocumentedPythonConsumer()
    {
        var events = File.ReadAllText(Path.Combine(Repository.Root, "docs", "events.md"));
        // The consumer is the block that speaks AMQP (another shows how to verify a webhook).
        var blocks = PythonBlock().Matches(events).Where(b => b.Groups[1].Value.Contains("import json, sys, pika")).ToList();
        blocks.Count.ShouldBe(1, "docs/events.md shows one Python consumer");
        return blocks[0].Groups[1].Value;
    }

    [GeneratedRegex(@"```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    /// <summary>Debian's python3 is where apt puts python3-pika; a python3 of another installation may lack it.</summary>
    private static Process StartPython(string script, string amqpUri, string queue, ConcurrentQueue<string> lines, ConcurrentQueue<string> errors)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(amqpUri);
        start.ArgumentList.Add(queue);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) lines.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static List<JsonObject> Parse(IEnumerable<string> lines) => lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>The user, from the contract (a message without CloudEvents headers must still be found, to fail on them).</summary>
    private static Guid Subject(JsonObject e) => e["data"]!["user_id"]!.GetValue<Guid>();

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    /// <summary>What the contract's shape says it is (the printed data carries no type name of its own).</summary>
    private static string ExpectedType(JsonObject data) =>
        data.ContainsKey("changes") ? "com.users.user_profile_updated.v1"
        : data.ContainsKey("expires_at") ? "com.users.email_verification_requested.v1"
        : data.ContainsKey("email") ? "com.users.user_registered.v1"
        : "unexpected";

    private async Task<long> StreamVersionAsync(Guid id)
    {
        await using var session = stack.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))?.Version ?? 0;
    }

    private async Task DeleteQueueAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(stack.RabbitMqUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }
}
