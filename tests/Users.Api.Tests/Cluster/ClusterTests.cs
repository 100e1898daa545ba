using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Users.Api.Tests.Delivery;
using Users.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Users.Api.Tests.Cluster;

/// <summary>
/// Two API nodes and two workers share the work (<see cref="ClusterStack"/>); a client spreads updates over both
/// API nodes while one node of each kind dies. Every acknowledged update must reach an independent subscriber (on
/// the wire, at least once), the workers' effects must happen once (the version gate reaches every user's last
/// version; each changed address gets exactly one verification mail), and the figures go to the test log.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterStack stack, ITestOutputHelper output)
{
    private const int Clients = 8;
    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadAfter = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task an_api_node_killed_with_sigkill_mid_load_loses_nothing_and_the_survivor_takes_over_its_outbox()
    {
        var nodesBefore = await stack.ScalarAsync<long>("select count(*) from {schema}.wolverine_nodes");
        var figures = await LoadAsync("API node 1 of 2 cut off RabbitMQ for 3 s, then killed with SIGKILL", async () =>
        {
            // Cut off the broker first, so that the updates it acknowledges meanwhile can only be in its outbox when it dies.
            foreach (var proxy in stack.FirstApiBroker)
                proxy.Cut();
            await Task.Delay(TimeSpan.FromSeconds(3));
            stack.Apis[0]!.Kill();
            var killed = Stopwatch.GetTimestamp();
            foreach (var proxy in stack.FirstApiBroker)
                proxy.Restore();
            var dead = stack.Apis[0]!;
            stack.Apis[0] = null;
            await dead.DisposeAsync();
            return killed;
        });
        try
        {
            var (ejected, released) = await TakeoverAsync(figures.StruckAt, nodesBefore);
            var stranded = figures.Acknowledged.Where(a => a.Value.Node == 0 && figures.Arrivals[a.Key] > figures.StruckAt).ToList();
            var takeover = Stopwatch.GetElapsedTime(figures.StruckAt, stranded.Max(a => figures.Arrivals[a.Key]));
            output.WriteLine($"Takeover: {stranded.Count} updates acknowledged by the dead node were still in its outbox at the kill; the last " +
                $"of them reached the subscriber {takeover.TotalSeconds:F1} s after the kill, sent by the survivor (checked {ejected.TotalSeconds:F0} s " +
                $"after the kill: the dead node's row ejected, no envelope left with a dead owner by {released.TotalSeconds:F0} s; documented bound " +
                $"{ClusterStack.TakeoverBound.TotalSeconds:F0} s with StaleNodeTimeout {ClusterStack.StaleNodeTimeout.TotalSeconds:F0} s and a health " +
                $"check every {ClusterStack.HealthCheckPollingTime.TotalSeconds:F0} s).");
            stranded.ShouldNotBeEmpty("the cut left acknowledged updates in the dead node's outbox");
            takeover.ShouldBeLessThan(ClusterStack.TakeoverBound);
        }
        finally
        {
            stack.Apis[0] = await stack.StartApiAsync(0);
        }
    }

    [Fact]
    public async Task a_worker_killed_mid_mail_loses_no_mail_and_sends_none_twice()
    {
        var killed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await LoadAsync("worker 1 of 2 killed with SIGKILL mid-mail", async () =>
            {
                // The moment worker 0's SMTP server has taken a mail and before it answers: the mail is out, the
                // worker never hears so and has recorded nothing.
                stack.Mail[0].OnAccepted = _ =>
                {
                    stack.Workers[0]?.Kill();
                    killed.TrySetResult(Stopwatch.GetTimestamp());
                };
                var at = await killed.Task.WaitAsync(TimeSpan.FromSeconds(30));
                stack.Mail[0].OnAccepted = null;
                return at;
            });
        }
        finally
        {
            stack.Mail[0].OnAccepted = null;
            if (stack.Workers[0] is { } dead)
                await dead.DisposeAsync();
            stack.Workers[0] = await stack.StartWorkerAsync(0);
        }
    }

    [Fact]
    public async Task a_rabbitmq_node_stopped_mid_load_loses_nothing_and_publishing_goes_on_through_the_others()
    {
        // The node most of this stack's connections use (never node 3: the test's subscriber is there).
        var node = await BusiestNodeAsync();
        try
        {
            var figures = await LoadAsync($"RabbitMQ node {node} of 3 stopped", async () =>
            {
                var at = Stopwatch.GetTimestamp();
                await stack.StopRabbitNodeAsync(node);
                return at;
            });
            var afterStop = figures.Acknowledged.Values.Count(a => a.At > figures.StruckAt);
            output.WriteLine($"RabbitMQ node {node} stopped: {afterStop} updates acknowledged after the stop began, all delivered through the other nodes.");
            afterStop.ShouldBeGreaterThan(0, "publishing resumed on the other nodes");
        }
        finally
        {
            await stack.EnsureClusterAsync();
        }
    }

    [Fact]
    public async Task one_username_claimed_through_both_nodes_at_once_has_exactly_one_holder()
    {
        var users = await Task.WhenAll(stack.RegisterSettledAsync(0, "claim-a"), stack.RegisterSettledAsync(1, "claim-b"));
        var username = "u" + Guid.NewGuid().ToString("N")[..16];
        using var start = new SemaphoreSlim(0);
        var claims = users.Select((user, i) => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await stack.Api(i).PatchJsonAsync($"/api/v1/users/{user}", new { username });
        })).ToArray();
        start.Release(2);
        var responses = await Task.WhenAll(claims);
        var statuses = responses.Select(r => (int)r.StatusCode).Order().ToArray();
        var holders = 0;
        foreach (var user in users)
        {
            var profile = await (await stack.Api(0).GetAsync($"/api/v1/users/{user}")).ReadObjectAsync();
            if (profile["username"]?.GetValue<string>() == username)
                holders++;
        }
        output.WriteLine($"One username claimed through both nodes at once: responses {string.Join(", ", statuses)}; holders {holders}.");
        statuses.ShouldBe([200, 422], "the loser is told the username is taken");
        holders.ShouldBe(1);
    }

    [Fact]
    public async Task one_idempotency_key_sent_through_both_nodes_at_once_has_one_effect()
    {
        var user = await stack.RegisterSettledAsync(0, "idem");
        var before = await stack.VersionAsync(user);
        var key = Guid.NewGuid().ToString("N");
        using var start = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/users/{user}") { Content = HttpJson.Body(new { last_name = "Once" }) };
            request.Headers.Add("Idempotency-Key", key);
            await start.WaitAsync();
            return await stack.Api(i).SendAsync(request);
        })).ToArray();
        start.Release(2);
        var responses = await Task.WhenAll(sends);
        var after = await stack.VersionAsync(user);
        var etags = responses.Select(r => r.Headers.ETag?.Tag).ToArray();
        output.WriteLine($"One Idempotency-Key through both nodes at once: responses {string.Join(", ", responses.Select(r => (int)r.StatusCode))}, " +
            $"ETags {string.Join(", ", etags)}, replayed {responses.Count(r => r.Headers.Contains("Idempotent-Replayed"))}; version {before} -> {after}.");
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        etags.Distinct().Count().ShouldBe(1, "the second gets the first's response");
        after.ShouldBe(before + 1, "one update appended");
    }

    /// <summary>What one load run saw.</summary>
    private sealed record LoadFigures(ConcurrentDictionary<(Guid User, long Version), (int Node, long At)> Acknowledged, long StruckAt,
        Dictionary<(Guid, long), long> Arrivals)
    {
        public long? LastArrivalOfNode(int node) => Acknowledged.Where(a => a.Value.Node == node && Arrivals.ContainsKey(a.Key))
            .Select(a => (long?)Arrivals[a.Key]).Max();
    }

    /// <summary>
    /// Clients update their own users through both API nodes in turn (a load balancer; one update in eight changes the
    /// email, which a worker answers with a mail) for a few seconds, the fault strikes while they go on, then a few
    /// seconds more. Then every acknowledged update must reach the subscriber, each final address must get one
    /// verification mail in all, and the workers' gate must reach each user's last acknowledged version.
    /// </summary>
    private async Task<LoadFigures> LoadAsync(string fault, Func<Task<long>> strike)
    {
        var began = Stopwatch.GetTimestamp();
        // On node 3, which no test stops.
        await using var subscriber = await RabbitSubscriber.BindAllAsync(stack.NodeUris[2]);
        var users = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => stack.RegisterSettledAsync(i, $"load{i}")));
        var acknowledged = new ConcurrentDictionary<(Guid User, long Version), (int Node, long At)>();
        var finalEmail = new ConcurrentDictionary<Guid, string>();
        var failed = 0;
        using var stop = new CancellationTokenSource();
        var load = users.Select((user, u) => Task.Run(async () =>
        {
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var email = n % 8 == 0 ? HttpJson.UniqueEmail("moved") : null;
                object patch = email is null ? new { first_name = $"Load{n}" } : new { email };
                var node = (n + u) % 2;
                try
                {
                    var api = stack.Apis[node] ?? stack.Apis[1 - node];
                    if (api is not null)
                    {
                        node = ReferenceEquals(api, stack.Apis[node]) ? node : 1 - node;
                        var response = await api.Client.PatchJsonAsync($"/api/v1/users/{user}", patch);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged[(user, long.Parse(response.Headers.ETag!.Tag.Trim('"')))] = (node, Stopwatch.GetTimestamp());
                            if (email is not null)
                                finalEmail[user] = email;
                            continue;
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException or InvalidOperationException)
                {
                    // The node died under the request: not acknowledged, nothing promised.
                }
                Interlocked.Increment(ref failed);
                await Task.Delay(100);
            }
        })).ToList();

        await Task.Delay(LoadBefore);
        var struckAt = await strike();
        await Task.Delay(LoadAfter);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var loadEnded = Stopwatch.GetTimestamp();

        var arrivals = await Eventually.Until(() => Task.FromResult(subscriber.FirstArrivals()),
            a => acknowledged.Keys.All(a.ContainsKey), TimeSpan.FromSeconds(120), $"{fault}: every acknowledged update on RabbitMQ");
        var drained = Stopwatch.GetElapsedTime(loadEnded);
        var lastVersion = acknowledged.Keys.GroupBy(k => k.User).ToDictionary(g => g.Key, g => g.Max(k => k.Version));
        var gate = await Eventually.Until(stack.GateVersionsAsync, g => lastVersion.All(l => g.GetValueOrDefault(l.Key) >= l.Value),
            TimeSpan.FromSeconds(120), $"{fault}: the workers' gate at every user's last version");
        foreach (var email in finalEmail.Values)
            await Eventually.Until(() => Task.FromResult(MailsTo(email)), n => n >= 1, TimeSpan.FromSeconds(90), $"a mail to {email}");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var figures = DeliveryFigures.Of(subscriber.Messages());
        var verificationMails = stack.Mail.SelectMany(m => m.Messages).Where(m => m.Subject == VerificationSubject)
            .GroupBy(m => m.To.ToString()).ToList();
        var mailsToFinal = finalEmail.Values.Select(MailsTo).ToList();
        var byNode = acknowledged.Values.GroupBy(a => a.Node).OrderBy(g => g.Key).Select(g => $"node {g.Key + 1}: {g.Count()}");
        output.WriteLine($"{fault}: {acknowledged.Count} updates acknowledged ({string.Join(", ", byNode)}; {failed} refused or failed); " +
            $"delivered {acknowledged.Keys.Count(arrivals.ContainsKey)}/{acknowledged.Count}, all {drained.TotalSeconds:F1} s after the load ended; " +
            $"on the wire {figures.Delivered} deliveries of {figures.Distinct} events ({figures.Duplicates} duplicates, absorbed by the version gate); " +
            $"gate at the last version for {lastVersion.Count(l => gate.GetValueOrDefault(l.Key) >= l.Value)}/{lastVersion.Count} users; " +
            $"mails: {finalEmail.Count} final addresses got {mailsToFinal.Sum()} verification mails, {verificationMails.Count(g => g.Count() > 1)} " +
            $"addresses mailed more than once (worker 1 sent {stack.Mail[0].Messages.Count}, worker 2 {stack.Mail[1].Messages.Count}); " +
            $"run {Stopwatch.GetElapsedTime(began).TotalSeconds:F0} s.");

        acknowledged.Keys.ShouldAllBe(k => arrivals.ContainsKey(k));
        mailsToFinal.ShouldAllBe(n => n == 1);
        verificationMails.ShouldAllBe(g => g.Count() == 1);
        return new LoadFigures(acknowledged, struckAt, arrivals);
    }

    private const string VerificationSubject = "Verify your email address";

    /// <summary>Verification mails to the address, from either worker (other notices may go there too).</summary>
    private int MailsTo(string address) => stack.Mail.Sum(m => m.To(address).Count(mail => mail.Subject == VerificationSubject));

    /// <summary>
    /// From the kill: when the survivor ejected the dead node's row, and when no outbox envelope was left with an
    /// owner that is not a live node (released to "any node", then sent by the durability agent).
    /// </summary>
    private async Task<(TimeSpan Ejected, TimeSpan Released)> TakeoverAsync(long killedAt, long nodesBefore)
    {
        await Eventually.Until(() => stack.ScalarAsync<long>("select count(*) from {schema}.wolverine_nodes"),
            n => n < nodesBefore, ClusterStack.TakeoverBound + TimeSpan.FromSeconds(30), "the dead node ejected");
        var ejected = Stopwatch.GetElapsedTime(killedAt);
        await Eventually.Until(() => stack.ScalarAsync<long>(
                "select count(*) from {schema}.wolverine_outgoing_envelopes where owner_id <> 0 " +
                "and owner_id not in (select node_number from {schema}.wolverine_nodes)"),
            n => n == 0, TimeSpan.FromSeconds(60), "the dead node's outbox released");
        return (ejected, Stopwatch.GetElapsedTime(killedAt));
    }

    /// <summary>The node (1 or 2) that holds most of this stack's AMQP connections, from the management API.</summary>
    private async Task<int> BusiestNodeAsync()
    {
        using var http = RabbitManagement.ClientOf(stack.ManagementUrls[2]);
        var connections = JsonNode.Parse(await http.GetStringAsync($"/api/vhosts/{Uri.EscapeDataString(stack.VirtualHost)}/connections"))!.AsArray();
        var perNode = connections.GroupBy(c => c!["node"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"AMQP connections per node: {string.Join(", ", perNode.Select(kv => $"{kv.Key} {kv.Value}"))}");
        return (perNode.GetValueOrDefault("users-rabbit-2@localhost") > perNode.GetValueOrDefault("users-rabbit-1@localhost")) ? 2 : 1;
    }
}
