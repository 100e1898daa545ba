using Npgsql;

namespace Users.Api.Auditing;

/// <summary>
/// The hash chain's tables and the trigger that extends a stream's chain in the transaction that stores its event,
/// over the bytes PostgreSQL stored (jsonb as PostgreSQL renders it, not as the app serialised it). Installed at
/// start-up, idempotently and under an advisory lock (several nodes may start at once), after Marten created
/// <c>mt_events</c>; Marten does not manage these objects and leaves them alone.
/// </summary>
public static class ChainSchema
{
    public static string InstallSql(string schema) => $$"""
        select pg_advisory_xact_lock(hashtext('{{schema}}.audit_chain_install'));

        create table if not exists {{schema}}.audit_event_chain (
            stream_id uuid not null,
            version bigint not null,
            seq_id bigint not null,
            prev_hash bytea not null,
            hash bytea not null,
            primary key (stream_id, version));
        -- Each stream's last chained event: the trigger's starting point, and its row lock orders appends to a stream.
        create table if not exists {{schema}}.audit_stream_head (
            stream_id uuid primary key,
            version bigint not null,
            hash bytea not null);
        create table if not exists {{schema}}.audit_checkpoint (
            number bigint primary key,
            created_at timestamptz not null,
            stream_count bigint not null,
            event_count bigint not null,
            root bytea not null,
            previous_hash bytea not null,
            hash bytea not null,
            signature bytea not null,
            public_key bytea not null);
        -- The heads a checkpoint changed since the one before; all heads at checkpoint n = the latest row per stream up to n.
        create table if not exists {{schema}}.audit_checkpoint_head (
            checkpoint bigint not null,
            stream_id uuid not null,
            version bigint not null,
            hash bytea not null,
            primary key (stream_id, checkpoint));
        create index if not exists ix_audit_checkpoint_head_checkpoint on {{schema}}.audit_checkpoint_head (checkpoint);
        -- The checkpoint writer's own view of what it last recorded per stream (written by it alone).
        create table if not exists {{schema}}.audit_checkpointed_head (
            stream_id uuid primary key,
            version bigint not null);

        create or replace function {{schema}}.audit_chain_field(value bytea) returns bytea
            language sql immutable as
        $$ select case when value is null then int4send(-1) else int4send(length(value)) || value end $$;

        -- Users.Domain.Auditing.EventChain computes the same bytes; a change here is a change there.
        create or replace function {{schema}}.audit_event_hash(previous bytea, e {{schema}}.mt_events) returns bytea
            language sql stable as
        $$ select sha256(previous || int8send(e.seq_id) || uuid_send(e.id) || uuid_send(e.stream_id) || int8send(e.version)
            || {{schema}}.audit_chain_field(convert_to(e.type, 'UTF8'))
            || {{schema}}.audit_chain_field(convert_to(e.data::text, 'UTF8'))
            || {{schema}}.audit_chain_field(e.bdata)
            || {{schema}}.audit_chain_field(convert_to(e.headers::text, 'UTF8'))
            || int8send((extract(epoch from e.timestamp) * 1000000)::bigint)
            || {{schema}}.audit_chain_field(convert_to(e.user_name, 'UTF8'))
            || {{schema}}.audit_chain_field(convert_to(e.correlation_id, 'UTF8'))
            || {{schema}}.audit_chain_field(convert_to(e.causation_id, 'UTF8'))
            || {{schema}}.audit_chain_field(convert_to(e.tenant_id, 'UTF8'))) $$;

        -- Chains the stream's events after its head, in version order, up to the first gap. Never raises: a write
        -- is never refused for the chain's sake; whatever cannot be chained shows up in `audit verify`.
        create or replace function {{schema}}.audit_chain_stream(stream uuid) returns void
            language plpgsql as
        $$
        declare
            head_version bigint;
            head_hash bytea;
            e {{schema}}.mt_events;
            next_hash bytea;
        begin
            select version, hash into head_version, head_hash from {{schema}}.audit_stream_head where stream_id = stream for update;
            if not found then
                insert into {{schema}}.audit_stream_head (stream_id, version, hash)
                    values (stream, 0, decode(repeat('00', 32), 'hex')) on conflict do nothing;
                select version, hash into head_version, head_hash from {{schema}}.audit_stream_head where stream_id = stream for update;
            end if;
            for e in select * from {{schema}}.mt_events where stream_id = stream and version > head_version order by version loop
                exit when e.version <> head_version + 1;
                next_hash := {{schema}}.audit_event_hash(head_hash, e);
                insert into {{schema}}.audit_event_chain (stream_id, version, seq_id, prev_hash, hash)
                    values (stream, e.version, e.seq_id, head_hash, next_hash) on conflict do nothing;
                head_version := e.version;
                head_hash := next_hash;
            end loop;
            update {{schema}}.audit_stream_head set version = head_version, hash = head_hash where stream_id = stream;
        end
        $$;

        create or replace function {{schema}}.audit_chain_event() returns trigger
            language plpgsql as
        $$
        begin
            if new.stream_id is not null then
                perform {{schema}}.audit_chain_stream(new.stream_id);
            end if;
            return null;
        end
        $$;

        create or replace trigger audit_chain after insert on {{schema}}.mt_events
            for each row execute function {{schema}}.audit_chain_event();
        """;

    public static async Task InstallAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var install = new NpgsqlCommand(InstallSql(schema), connection, tx))
            await install.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Chains the events stored before the trigger existed (or while it was off), one stream per transaction so that
    /// it never holds many streams' locks against live appends. Idempotent: a chained stream is skipped.
    /// </summary>
    public static async Task<int> BackfillAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var behind = new List<Guid>();
        await using (var find = new NpgsqlCommand($"""
            select s.id from {schema}.mt_streams s left join {schema}.audit_stream_head h on h.stream_id = s.id
            where s.version > coalesce(h.version, 0)
            """, connection))
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                behind.Add(reader.GetGuid(0));
        }
        foreach (var stream in behind)
        {
            await using var chain = new NpgsqlCommand($"select {schema}.audit_chain_stream(@stream)", connection);
            chain.Parameters.AddWithValue("stream", stream);
            await chain.ExecuteNonQueryAsync(ct);
        }
        return behind.Count;
    }
}
