using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.CommandLine;
using Marten;
using Users.Domain.Events;
using Users.Projections.Encryption;

namespace Users.Api.Auditing;

/// <summary>
/// <c>dotnet run --project src/Users.Api -- encrypt-events</c>: seals, in place, the personal values of events stored
/// in plaintext before encryption (and the personal members of their provenance header), creating the users' data
/// keys. Idempotent: a sealed value is left as it is, so a second run changes nothing. Run it before the hash chain
/// is initialised: it rewrites stored bytes, which a chain computed earlier would report as tampering.
/// </summary>
[Description("Encrypt the personal values of events stored in plaintext (run before initialising the hash chain)", Name = "encrypt-events")]
public sealed class EncryptEventsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var keys = host.Services.GetRequiredService<DataKeys>();
        // As the API does at start: the key table may not exist yet.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var result = await EncryptingEvents.RunAsync(store, keys, CancellationToken.None);
        Console.WriteLine($"encrypt-events: {result.Streams} streams read, {result.Events} events sealed in {result.StreamsChanged} streams, " +
                          $"{result.KeysCreated} data keys created.");
        return true;
    }
}

public sealed record EncryptionResult(int Streams, int StreamsChanged, int Events, int KeysCreated);

public static class EncryptingEvents
{
    // Reads the stored JSON without opening anything, to see what is still plaintext.
    private static readonly JsonSerializerOptions AsStored = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<EncryptionResult> RunAsync(IDocumentStore store, DataKeys keys, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var types = store.Options.Events.AllKnownEventTypes()
            .Where(t => UserEventTypes.All.Contains(t.EventType))
            .ToDictionary(t => t.EventTypeName, t => t.EventType);

        var streams = new List<Guid>();
        await using (var query = store.QuerySession())
        {
            await using var command = query.Connection.CreateCommand();
            command.CommandText = $"select id from {schema}.mt_streams order by id";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                streams.Add(reader.GetGuid(0));
        }

        int changedStreams = 0, events = 0, created = 0;
        foreach (var streamId in streams)
        {
            var (sealedEvents, keyCreated) = await SealStreamAsync(store, keys, schema, types, streamId, ct);
            events += sealedEvents;
            changedStreams += sealedEvents > 0 ? 1 : 0;
            created += keyCreated ? 1 : 0;
        }
        return new EncryptionResult(streams.Count, changedStreams, events, created);
    }

    /// <summary>One stream in one transaction, its row locked so no append interleaves (an append takes the same lock).</summary>
    private static async Task<(int Events, bool KeyCreated)> SealStreamAsync(IDocumentStore store, DataKeys keys, string schema,
        Dictionary<string, Type> types, Guid streamId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);
        var rows = new List<(long Sequence, string Type, string Data, string? Headers)>();
        await using (var command = session.Connection.CreateCommand())
        {
            command.CommandText = $"""
                select version from {schema}.mt_streams where id = @id for update;
                select seq_id, type, data::text, headers::text from {schema}.mt_events where stream_id = @id order by version
                """;
            command.Parameters.AddWithValue("id", streamId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        PersonalData.Treatment? sealing = null;
        var keyCreated = false;
        var serializer = store.Options.Serializer();
        var changed = 0;
        foreach (var (sequence, type, data, headers) in rows)
        {
            // Unknown and older shapes (user_profile_updated_v1) are left to erasure's masking.
            var stored = types.TryGetValue(type, out var eventType) ? JsonSerializer.Deserialize(data, eventType, AsStored) : null;
            var plainData = stored is not null && PersonalData.Holds(stored, IsPlain);
            var plainHeader = headers is not null && JsonNode.Parse(headers)?[Provenance.Header] is JsonObject provenance
                && Provenance.Transform(provenance.ToJsonString(), text => IsPlain(text) ? "" : text) is not null;
            if (!plainData && !plainHeader)
                continue;

            if (sealing is null)
            {
                var (key, row) = await keys.ForSealingAsync(session, streamId, ct);
                keyCreated = row is not null;
                var all = DataKeys.Sealing(streamId, key);
                // Only what is still plaintext: sealed values stay byte for byte, masked ones stay masked.
                sealing = new PersonalData.Treatment(
                    text => IsPlain(text) ? all.Text(text) : text,
                    json => json is JsonValue v && v.TryGetValue<string>(out var s) && !IsPlain(s) ? json : all.Json(json));
            }
            var newData = plainData ? serializer.ToJson(PersonalData.Transform(stored!, sealing)) : data;
            string? newHeaders = null;
            if (plainHeader)
            {
                var all = JsonNode.Parse(headers!)!.AsObject();
                all[Provenance.Header] = Provenance.Transform(all[Provenance.Header]!.ToJsonString(), sealing.Text);
                newHeaders = all.ToJsonString();
            }
            if (plainHeader)
                session.QueueSqlCommand($"update {schema}.mt_events set data = ?::jsonb, headers = ?::jsonb where seq_id = ?", newData, newHeaders!, sequence);
            else
                session.QueueSqlCommand($"update {schema}.mt_events set data = ?::jsonb where seq_id = ?", newData, sequence);
            changed++;
        }
        await session.SaveChangesAsync(ct);
        return (changed, keyCreated);
    }

    private static bool IsPlain(string value) => !SealedValue.LooksSealed(value) && value != PersonalData.Erased;
}
