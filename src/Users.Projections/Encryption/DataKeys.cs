using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Users.Domain.Events;

namespace Users.Projections.Encryption;

/// <summary>
/// The users' data keys, unwrapped with the master key and kept in memory. Reading opens values with a key loaded at
/// most <see cref="CacheLifetime"/> ago: several API nodes share the database, so a node learns of another node's
/// erasure when its copy expires; the erasing node forgets the key at commit. A value named by a key that is gone
/// reads as <see cref="PersonalData.Erased"/>. Sealing accepts a key loaded up to <see cref="SealingLifetime"/> ago:
/// a key only changes by being deleted, and nothing is appended to an erased user's stream (its deciders refuse).
/// Readers run inside System.Text.Json converters, which cannot await: a key not in memory is loaded with one
/// synchronous query by primary key (once per user per <see cref="CacheLifetime"/>).
/// </summary>
public sealed class DataKeys(byte[] masterKey, string connectionString, string schema)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan SealingLifetime = TimeSpan.FromMinutes(5);
    /// <summary>Past this many users in memory, the ones older than <see cref="SealingLifetime"/> are dropped.</summary>
    private const int SweepAbove = 50_000;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly ConcurrentDictionary<Guid, Cached> _cache = new();
    private long _puts;

    private sealed record Cached(byte[]? Key, long LoadedAt)
    {
        public bool YoungerThan(TimeSpan age) => Environment.TickCount64 - LoadedAt < (long)age.TotalMilliseconds;
    }

    /// <summary>Opens sealed values (plaintext from before encryption passes as it is).</summary>
    public PersonalData.Treatment Opening => _opening ??= new PersonalData.Treatment(OpenText, OpenJson);
    private PersonalData.Treatment? _opening;

    /// <summary>Seals every value under the user's key.</summary>
    public static PersonalData.Treatment Sealing(Guid keyId, byte[] key) => new(
        text => SealedValue.Seal(keyId, key, text),
        json => JsonValue.Create(SealedValue.Seal(keyId, key, json.ToJsonString())));

    public string OpenText(string value)
    {
        if (SealedValue.KeyIdOf(value) is not { } keyId)
            return value;
        return Find(keyId) switch
        {
            null => PersonalData.Erased,
            [] => SealedValue.Unreadable, // the key row itself does not open
            var key => SealedValue.Open(value, key) ?? SealedValue.Unreadable,
        };
    }

    private JsonNode? OpenJson(JsonNode node)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text) || SealedValue.KeyIdOf(text) is null)
            return node;
        var opened = OpenText(text);
        if (opened is PersonalData.Erased or SealedValue.Unreadable)
            return JsonValue.Create(opened);
        try
        {
            return JsonNode.Parse(opened);
        }
        catch (JsonException)
        {
            return JsonValue.Create(SealedValue.Unreadable);
        }
    }

    /// <summary>The key, from memory or the database; null when the user has none (erased, or never had personal data sealed).</summary>
    public byte[]? Find(Guid keyId)
    {
        if (_cache.TryGetValue(keyId, out var cached) && cached.YoungerThan(CacheLifetime))
            return cached.Key;
        var key = Load(keyId);
        // A concurrent erasure's Forget wins over this load: never put back a key it just removed.
        if (!_cache.TryGetValue(keyId, out var now) || now == cached)
            Put(keyId, key);
        return key;
    }

    /// <summary>The user's key for sealing: in memory, else stored, else a new one inserted in <paramref name="session"/>'s transaction.</summary>
    public async Task<(byte[] Key, UserDataKey? Created)> ForSealingAsync(IDocumentSession session, Guid userId, CancellationToken ct)
    {
        if (_cache.TryGetValue(userId, out var cached) && cached.Key is { } known && cached.YoungerThan(SealingLifetime))
            return (known, null);
        if (await session.LoadAsync<UserDataKey>(userId, ct) is { } stored)
        {
            var key = Unwrap(stored);
            Remember(userId, key);
            return (key, null);
        }
        var fresh = RandomNumberGenerator.GetBytes(32);
        var row = new UserDataKey { Id = userId, WrappedKey = Wrap(userId, fresh), CreatedAt = DateTimeOffset.UtcNow };
        // Insert, not upsert: two first writers of one stream also collide on its version, and one rolls back.
        session.Insert(row);
        return (fresh, row);
    }

    public void Remember(Guid userId, byte[] key) => Put(userId, key);

    /// <summary>After an erasure commits: the key is gone; remembered as gone for a while so a slower load cannot put it back.</summary>
    public void Forget(Guid userId) => Put(userId, null);

    private void Put(Guid userId, byte[]? key)
    {
        _cache[userId] = new Cached(key, Environment.TickCount64);
        // An occasional sweep (every 1,000th entry while above the mark) keeps memory bounded at little cost.
        if (_cache.Count > SweepAbove && Interlocked.Increment(ref _puts) % 1_000 == 0)
            foreach (var (id, entry) in _cache)
                if (!entry.YoungerThan(SealingLifetime))
                    _cache.TryRemove(new KeyValuePair<Guid, Cached>(id, entry));
    }

    public byte[] Wrap(Guid userId, byte[] key)
    {
        var wrapped = new byte[NonceSize + key.Length + TagSize];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceSize));
        using var aes = new AesGcm(masterKey, TagSize);
        aes.Encrypt(wrapped.AsSpan(0, NonceSize), key, wrapped.AsSpan(NonceSize, key.Length), wrapped.AsSpan(NonceSize + key.Length),
            userId.ToByteArray());
        return wrapped;
    }

    /// <summary>The data key; throws when the row does not open with the configured master key (another key, or an altered row).</summary>
    public byte[] Unwrap(UserDataKey row)
    {
        var wrapped = row.WrappedKey;
        var key = new byte[wrapped.Length - NonceSize - TagSize];
        using var aes = new AesGcm(masterKey, TagSize);
        try
        {
            aes.Decrypt(wrapped.AsSpan(0, NonceSize), wrapped.AsSpan(NonceSize, key.Length), wrapped.AsSpan(NonceSize + key.Length), key,
                row.Id.ToByteArray());
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                $"The data key of user {row.Id} does not open with {MasterKey.Setting}: another master key, or an altered row.", e);
        }
        return key;
    }

    private byte[]? Load(Guid keyId)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select data->>'wrapped_key' from {schema}.mt_doc_userdatakey where id = @id";
        command.Parameters.AddWithValue("id", keyId);
        object? wrapped;
        try
        {
            wrapped = command.ExecuteScalar();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null; // no key was ever stored in this schema
        }
        if (wrapped is not string base64)
            return null;
        try
        {
            return Unwrap(new UserDataKey { Id = keyId, WrappedKey = Convert.FromBase64String(base64) });
        }
        catch (CryptographicException)
        {
            // An altered or foreign key row: the values it guards read as unreadable, not as a failed request.
            return [];
        }
    }
}
