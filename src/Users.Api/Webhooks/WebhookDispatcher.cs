using System.Globalization;
using System.Text;
using Marten;
using Npgsql;
using Users.Api.Webhooks.DisablingEndpoint;
using Wolverine;

namespace Users.Api.Webhooks;

/// <summary>
/// Sends due webhook deliveries, on every API node at once: a node claims rows with <c>FOR UPDATE SKIP LOCKED</c>
/// and a lease, so no two nodes send the same row, and a node that dies mid-send leaves its rows to the others
/// once the lease ends. Only the head of each (endpoint, user) queue is claimable, so a user's later event waits
/// while an earlier one to the same endpoint is undelivered. Failures are retried with exponential backoff and
/// jitter for <see cref="WebhookSettings.RetryWindow"/>; then the delivery fails and counts against its endpoint.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookStorage storage, IDocumentStore store, IServiceProvider services, WebhookSettings settings,
    OutboundAddressPolicy policy, WebhookDispatchSignal signal, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly string _table = storage.Deliveries;
    private readonly string _endpoints = storage.Endpoints;
    private readonly HttpClient _http = WebhookHttpClient.Create(policy, settings);
    private readonly SemaphoreSlim _slots = new(settings.Concurrency, settings.Concurrency);
    private TimeSpan Lease => settings.Timeout + TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var free = await WaitForFreeSlotsAsync(stopping);
                List<ClaimedDelivery> claimed;
                try
                {
                    claimed = await ClaimAsync(free, stopping);
                }
                catch
                {
                    _slots.Release(free);
                    throw;
                }
                // Each claimed delivery holds its slot until sent and recorded; the rest go back now.
                if (claimed.Count < free)
                    _slots.Release(free - claimed.Count);
                if (claimed.Count > 0)
                {
                    // One read of the endpoints (URL, secrets) per claim, not one per delivery.
                    await using var query = store.QuerySession();
                    var endpoints = (await query.LoadManyAsync<WebhookEndpoint>(stopping, claimed.Select(c => c.EndpointId).Distinct()))
                        .ToDictionary(e => e.Id);
                    foreach (var delivery in claimed)
                        _ = SendAndRecordAsync(delivery, endpoints.GetValueOrDefault(delivery.EndpointId), stopping);
                }
                if (claimed.Count == 0)
                    await signal.WaitAsync(settings.PollInterval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database away, most likely: try again shortly; nothing is lost, the rows wait.
                logger.LogWarning(e, "Webhook dispatch failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<int> WaitForFreeSlotsAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        var free = 1;
        while (free < settings.Concurrency && _slots.Wait(0))
            free++;
        return free;
    }

    private async Task<List<ClaimedDelivery>> ClaimAsync(int count, CancellationToken ct)
    {
        await using var command = storage.Database.CreateCommand($"""
            update {_table} d set locked_until = now() + $1
            from (
              select p.id from {_table} p
              join {_endpoints} e on e.id = p.endpoint_id
              where p.delivered_at is null and p.failed_at is null and p.due_at <= now()
                and (p.locked_until is null or p.locked_until < now())
                and (e.data ->> 'enabled')::boolean
                and not exists (select 1 from {_table} q
                  where q.endpoint_id = p.endpoint_id and q.user_id = p.user_id and q.id < p.id
                    and q.delivered_at is null and q.failed_at is null)
              order by p.id
              limit $2
              for update of p skip locked
            ) c
            where d.id = c.id
            returning d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Lease });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                reader.IsDBNull(4) ? "{}" : reader.GetString(4), reader.GetInt32(5)));
        return claimed;
    }

    private async Task SendAndRecordAsync(ClaimedDelivery delivery, WebhookEndpoint? endpoint, CancellationToken ct)
    {
        try
        {
            var (status, error) = await SendAsync(delivery, endpoint, ct);
            await RecordAsync(delivery, status, error, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Not recorded: the lease runs out and the row is claimed again.
            logger.LogWarning(e, "Recording webhook delivery {DeliveryId} failed", delivery.Id);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _slots.Release();
            // The same user's next event may have become the head of its queue.
            signal.Wake();
        }
    }

    private async Task<(int? Status, string? Error)> SendAsync(ClaimedDelivery delivery, WebhookEndpoint? endpoint, CancellationToken ct)
    {
        if (endpoint is null)
            return (null, "The endpoint was deleted.");
        var now = clock.GetUtcNow();
        var messageId = delivery.EventId.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(endpoint.SigningSecretsAt(now), messageId, now, delivery.Body));
        request.Headers.Add(WebhookSignature.EventTypeHeader, delivery.EventType);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, $"HTTP {status} {response.ReasonPhrase}".Trim());
        }
        catch (HttpRequestException e)
        {
            return (null, Describe(e));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {settings.Timeout.TotalSeconds:0.###} s.");
        }
    }

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is WebhookTargetRefused refused)
                return "Refused: " + refused.Message;
        var text = e.InnerException?.Message is { } why ? $"{e.Message} ({why})" : e.Message;
        return text.Length > 500 ? text[..500] : text;
    }

    // Times come from the database's clock, the one the claim compares with, whatever this node's clock says.
    private async Task RecordAsync(ClaimedDelivery delivery, int? status, string? error, CancellationToken ct)
    {
        if (error is null)
        {
            // A success ends a run of failures: the endpoint row is written only when there was one.
            await storage.ExecuteAsync($"""
                with delivered as (
                  update {_table} set delivered_at = now(), attempts = attempts + 1, last_status = $2, last_error = null,
                    last_attempt_at = now(), locked_until = null where id = $1 returning endpoint_id)
                update {_endpoints} set data = jsonb_set(data, array['failed_deliveries_in_a_row'], '0')
                where id = (select endpoint_id from delivered) and (data ->> 'failed_deliveries_in_a_row')::int > 0
                """, ct, delivery.Id, status!.Value);
            return;
        }

        // Retried while the next attempt would still fall inside the window; else failed now.
        await using var command = storage.Database.CreateCommand($"""
            update {_table} set attempts = attempts + 1, last_status = $2, last_error = $3, last_attempt_at = now(),
              locked_until = null, due_at = now() + $4,
              failed_at = case when now() + $4 >= created_at + $5 then now() end
            where id = $1
            returning failed_at is not null, attempts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = delivery.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        command.Parameters.Add(new NpgsqlParameter { Value = Backoff(delivery.Attempts + 1) });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.RetryWindow });
        bool failed;
        int attempts;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
                return; // deleted with its endpoint meanwhile
            failed = reader.GetBoolean(0);
            attempts = reader.GetInt32(1);
        }
        if (!failed)
            return;

        logger.LogWarning("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed for good after {Attempts} attempts: {Error}",
            delivery.Id, delivery.EndpointId, attempts, error);
        await storage.ExecuteAsync($"""
            update {_endpoints} set data = jsonb_set(data, array['failed_deliveries_in_a_row'],
              to_jsonb(coalesce((data ->> 'failed_deliveries_in_a_row')::int, 0) + 1))
            where id = $1
            """, ct, delivery.EndpointId);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DisableFailingEndpoint(delivery.EndpointId), ct);
    }

    /// <summary>Base × 2^(attempt−1), capped, times a random factor in [0.5, 1.5) so that many failed receivers do not retry in step.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private sealed record ClaimedDelivery(long Id, Guid EndpointId, Guid EventId, string EventType, string Body, int Attempts);
}
