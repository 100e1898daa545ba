using Marten;
using Npgsql;
using NpgsqlTypes;
using Users.Domain.Auditing;

namespace Users.Api.Auditing;

/// <summary>
/// Takes a signed checkpoint of every stream head every <see cref="AuditSettings.CheckpointInterval"/>, when any head
/// moved. Every node runs this timer; a transaction-scoped advisory lock lets one write at a time, and a node that
/// finds a checkpoint younger than half the interval skips, so a cluster writes about one per interval.
/// </summary>
public sealed class CheckpointWriter(IDocumentStore store, AuditSettings settings, TimeProvider clock, ILogger<CheckpointWriter> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Signer is null)
        {
            log.LogWarning("Audit:SigningKey is not set: no signed checkpoints are taken (the hash chain still is).");
            return;
        }
        using var timer = new PeriodicTimer(settings.CheckpointInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = await OpenAsync(store, stoppingToken);
                var number = await TakeAsync(connection, store.Options.DatabaseSchemaName, settings.Signer, clock, settings.CheckpointInterval / 2, stoppingToken);
                if (number is not null)
                    log.LogInformation("Audit checkpoint {Checkpoint} signed", number);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Taking an audit checkpoint failed; retried at the next interval");
            }
        }
    }

    public static async Task<NpgsqlConnection> OpenAsync(IDocumentStore store, CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Writes the next checkpoint and returns its number; null when another node holds the lock, one is younger than <paramref name="minimumAge"/>, or no head moved.</summary>
    public static async Task<long?> TakeAsync(NpgsqlConnection connection, string schema, CheckpointSigner signer, TimeProvider clock,
        TimeSpan minimumAge, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand($"select pg_try_advisory_xact_lock(hashtext('{schema}.audit_checkpoint'))", connection, tx))
        {
            if (await lockCommand.ExecuteScalarAsync(ct) is not true)
                return null;
        }

        var number = 1L;
        var previous = EventChain.Genesis.ToArray();
        await using (var last = new NpgsqlCommand($"select number, hash, created_at from {schema}.audit_checkpoint order by number desc limit 1", connection, tx))
        await using (var reader = await last.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                if (clock.GetUtcNow() - reader.GetFieldValue<DateTimeOffset>(2) < minimumAge)
                    return null;
                number = reader.GetInt64(0) + 1;
                previous = (byte[])reader[1];
            }
        }

        // One statement, one snapshot: every committed head, and what the previous checkpoint recorded of it.
        var heads = new List<StreamHead>();
        var changed = new List<StreamHead>();
        await using (var read = new NpgsqlCommand($"""
            select h.stream_id, h.version, h.hash, c.version
            from {schema}.audit_stream_head h left join {schema}.audit_checkpointed_head c on c.stream_id = h.stream_id
            where h.version > 0
            """, connection, tx))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var head = new StreamHead(reader.GetGuid(0), reader.GetInt64(1), (byte[])reader[2]);
                heads.Add(head);
                if (reader.IsDBNull(3) || reader.GetInt64(3) != head.Version)
                    changed.Add(head);
            }
        }
        if (changed.Count == 0)
            return null;

        var ordered = MerkleTree.Ordered(heads);
        var root = MerkleTree.Root(ordered);
        var now = clock.GetUtcNow();
        var createdAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero); // PostgreSQL keeps microseconds
        var createdAtMicros = (createdAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var eventCount = ordered.Sum(h => h.Version);
        var digest = CheckpointDigest.Of(number, createdAtMicros, ordered.Length, eventCount, root, previous);

        await using (var insert = new NpgsqlCommand($"""
            insert into {schema}.audit_checkpoint (number, created_at, stream_count, event_count, root, previous_hash, hash, signature, public_key)
            values (@number, @created_at, @streams, @events, @root, @previous, @hash, @signature, @public_key);
            insert into {schema}.audit_checkpoint_head (checkpoint, stream_id, version, hash)
            select @number, * from unnest(@stream_ids, @versions, @hashes);
            insert into {schema}.audit_checkpointed_head (stream_id, version)
            select * from unnest(@stream_ids, @versions)
            on conflict (stream_id) do update set version = excluded.version;
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("number", number);
            insert.Parameters.AddWithValue("created_at", createdAt);
            insert.Parameters.AddWithValue("streams", (long)ordered.Length);
            insert.Parameters.AddWithValue("events", eventCount);
            insert.Parameters.AddWithValue("root", root);
            insert.Parameters.AddWithValue("previous", previous);
            insert.Parameters.AddWithValue("hash", digest);
            insert.Parameters.AddWithValue("signature", signer.Sign(digest));
            insert.Parameters.AddWithValue("public_key", signer.PublicKey);
            insert.Parameters.AddWithValue("stream_ids", changed.Select(h => h.StreamId).ToArray());
            insert.Parameters.AddWithValue("versions", changed.Select(h => h.Version).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = changed.Select(h => h.Hash).ToArray() });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return number;
    }
}
