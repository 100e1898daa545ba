using System.Security.Cryptography;
using System.Text;

namespace Users.Domain.Auditing;

/// <summary>
/// What a checkpoint's Ed25519 signature covers: its number, time, the number of streams and events, the Merkle
/// root of the heads and the previous checkpoint's digest (so checkpoints form a chain of their own).
/// </summary>
public static class CheckpointDigest
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("users-audit-checkpoint/v1");

    public static byte[] Of(long number, long createdAtMicros, long streamCount, long eventCount, ReadOnlySpan<byte> root, ReadOnlySpan<byte> previous)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Domain);
        EventChain.Int64(sha, number);
        EventChain.Int64(sha, createdAtMicros);
        EventChain.Int64(sha, streamCount);
        EventChain.Int64(sha, eventCount);
        sha.AppendData(root);
        sha.AppendData(previous);
        return sha.GetHashAndReset();
    }
}
