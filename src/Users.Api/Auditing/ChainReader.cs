using Npgsql;
using Users.Domain.Auditing;

namespace Users.Api.Auditing;

/// <summary>Reads the stored events, chain records and checkpoints as they are, for recomputation.</summary>
public static class ChainReader
{
    /// <summary>A stored checkpoint and the heads it changed.</summary>
    public sealed record Checkpoint(long Number, DateTimeOffset CreatedAt, long CreatedAtMicros, long StreamCount, long EventCount,
        byte[] Root, byte[] PreviousHash, byte[] Hash, byte[] Signature, byte[] PublicKey, List<StreamHead> Heads);

    private static string EventColumns => """
        seq_id, id, stream_id, version, type, data::text, bdata, headers::text,
        (extract(epoch from timestamp) * 1000000)::bigint, user_name, correlation_id, causation_id, tenant_id
        """;

    /// <summary>Every stream's events in (stream, version) order, read row by row.</summary>
    public static async IAsyncEnumerable<StoredEvent> EventsAsync(NpgsqlConnection connection, string schema, Guid? stream,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {EventColumns} from {schema}.mt_events where stream_id is not null{(stream is null ? "" : " and stream_id = @stream")} order by stream_id, version",
            connection);
        if (stream is { } id)
            command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new StoredEvent(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : (byte[])reader[6], reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12));
        }
    }

    public static async Task<Dictionary<Guid, List<ChainLink>>> LinksAsync(NpgsqlConnection connection, string schema, Guid? stream, CancellationToken ct)
    {
        var links = new Dictionary<Guid, List<ChainLink>>();
        await using var command = new NpgsqlCommand(
            $"select stream_id, seq_id, version, prev_hash, hash from {schema}.audit_event_chain{(stream is null ? "" : " where stream_id = @stream")}",
            connection);
        if (stream is { } id)
            command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var streamId = reader.GetGuid(0);
            if (!links.TryGetValue(streamId, out var list))
                links[streamId] = list = [];
            list.Add(new ChainLink(reader.GetInt64(1), reader.GetInt64(2), (byte[])reader[3], (byte[])reader[4]));
        }
        return links;
    }

    public static async Task<Dictionary<Guid, long>> StreamVersionsAsync(NpgsqlConnection connection, string schema, Guid? stream, CancellationToken ct)
    {
        var versions = new Dictionary<Guid, long>();
        await using var command = new NpgsqlCommand(
            $"select id, version from {schema}.mt_streams{(stream is null ? "" : " where id = @stream")}", connection);
        if (stream is { } id)
            command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>The checkpoints in order, each with the heads it recorded (only those changed since the one before).</summary>
    public static async Task<List<Checkpoint>> CheckpointsAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var checkpoints = new List<Checkpoint>();
        await using (var command = new NpgsqlCommand($"""
            select number, created_at, (extract(epoch from created_at) * 1000000)::bigint, stream_count, event_count,
                   root, previous_hash, hash, signature, public_key
            from {schema}.audit_checkpoint order by number
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                checkpoints.Add(new Checkpoint(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2),
                    reader.GetInt64(3), reader.GetInt64(4), (byte[])reader[5], (byte[])reader[6], (byte[])reader[7], (byte[])reader[8],
                    (byte[])reader[9], []));
        }
        var byNumber = checkpoints.ToDictionary(c => c.Number);
        await using (var command = new NpgsqlCommand(
            $"select checkpoint, stream_id, version, hash from {schema}.audit_checkpoint_head order by checkpoint", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var head = new StreamHead(reader.GetGuid(1), reader.GetInt64(2), (byte[])reader[3]);
                if (byNumber.TryGetValue(reader.GetInt64(0), out var checkpoint))
                    checkpoint.Heads.Add(head);
            }
        }
        return checkpoints;
    }
}
