using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Users.Domain.Auditing;

/// <summary>
/// The hash chain of a user's stream: hash(v) = SHA-256(hash(v-1) ‖ the stored fields of event v), hash(0) = 32
/// zero bytes. The same bytes are computed by the database trigger (<c>audit_event_hash</c>) when an event is
/// stored; this is the independent recomputation an auditor runs. Fields are length-prefixed so that no two
/// events encode alike: integers are 8 bytes big-endian, ids 16 bytes in RFC 4122 order, texts a 4-byte
/// big-endian length then UTF-8 (-1 for null).
/// </summary>
public static class EventChain
{
    public const int HashSize = 32;

    /// <summary>The "previous hash" of a stream's first event.</summary>
    public static ReadOnlySpan<byte> Genesis => new byte[HashSize];

    public static byte[] Hash(ReadOnlySpan<byte> previous, StoredEvent e)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        Int64(sha, e.Sequence);
        Uuid(sha, e.Id);
        Uuid(sha, e.StreamId);
        Int64(sha, e.Version);
        Text(sha, e.Type);
        Text(sha, e.Data);
        Bytes(sha, e.BinaryData);
        Text(sha, e.Headers);
        Int64(sha, e.TimestampMicros);
        Text(sha, e.UserName);
        Text(sha, e.CorrelationId);
        Text(sha, e.CausationId);
        Text(sha, e.TenantId);
        return sha.GetHashAndReset();
    }

    internal static void Int64(IncrementalHash sha, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        sha.AppendData(buffer);
    }

    internal static void Uuid(IncrementalHash sha, Guid value)
    {
        Span<byte> buffer = stackalloc byte[16];
        value.TryWriteBytes(buffer, bigEndian: true, out _);
        sha.AppendData(buffer);
    }

    private static void Text(IncrementalHash sha, string? value) =>
        Bytes(sha, value is null ? null : Encoding.UTF8.GetBytes(value));

    private static void Bytes(IncrementalHash sha, byte[]? value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value?.Length ?? -1);
        sha.AppendData(length);
        if (value is not null)
            sha.AppendData(value);
    }
}
