using System.Security.Cryptography;

namespace Users.Domain.Auditing;

/// <summary>
/// The Merkle tree of RFC 6962 (Certificate Transparency) over the stream heads, sorted by stream id: leaf =
/// SHA-256(0x00 ‖ stream id ‖ version ‖ head hash), node = SHA-256(0x01 ‖ left ‖ right), the left subtree holding
/// the largest power of two of leaves below n. One root commits to every head; an inclusion path of log2(n)
/// hashes proves one head is among them without the others.
/// </summary>
public static class MerkleTree
{
    public static byte[] Leaf(StreamHead head)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        EventChain.Uuid(sha, head.StreamId);
        EventChain.Int64(sha, head.Version);
        sha.AppendData(head.Hash);
        return sha.GetHashAndReset();
    }

    /// <summary>The heads in tree order: by stream id as PostgreSQL orders uuids (bytes in RFC 4122 order).</summary>
    public static StreamHead[] Ordered(IEnumerable<StreamHead> heads) =>
        heads.OrderBy(h => h.StreamId, StreamIdOrder.Instance).ToArray();

    public static byte[] Root(IReadOnlyList<StreamHead> orderedHeads) => RootOfLeaves(orderedHeads.Select(Leaf).ToArray());

    /// <summary>The root over leaf hashes (the RFC's MTH; its test vectors check it).</summary>
    internal static byte[] RootOfLeaves(byte[][] leaves) =>
        leaves.Length == 0 ? SHA256.HashData(ReadOnlySpan<byte>.Empty) : Root(leaves, 0, leaves.Length);

    /// <summary>The sibling hashes from leaf <paramref name="index"/> up to the root (RFC 6962 section 2.1.1).</summary>
    public static IReadOnlyList<byte[]> InclusionPath(IReadOnlyList<StreamHead> orderedHeads, int index) =>
        PathOfLeaves(orderedHeads.Select(Leaf).ToArray(), index);

    internal static IReadOnlyList<byte[]> PathOfLeaves(byte[][] leaves, int index)
    {
        var path = new List<byte[]>();
        Path(leaves, index, 0, leaves.Length, path);
        return path;
    }

    /// <summary>Whether <paramref name="path"/> leads from the leaf at <paramref name="index"/> of <paramref name="size"/> to <paramref name="root"/> (RFC 9162 section 2.1.3.2).</summary>
    public static bool VerifyInclusion(StreamHead head, long index, long size, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root) =>
        VerifyLeafInclusion(Leaf(head), index, size, path, root);

    internal static bool VerifyLeafInclusion(byte[] leaf, long index, long size, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size)
            return false;
        long fn = index, sn = size - 1;
        var r = leaf;
        foreach (var p in path)
        {
            if (sn == 0)
                return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    private static byte[] Root(byte[][] leaves, int start, int count)
    {
        if (count == 1)
            return leaves[start];
        var k = LargestPowerOfTwoBelow(count);
        return Node(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    private static void Path(byte[][] leaves, int index, int start, int count, List<byte[]> path)
    {
        if (count <= 1)
            return;
        var k = LargestPowerOfTwoBelow(count);
        if (index < k)
        {
            Path(leaves, index, start, k, path);
            path.Add(Root(leaves, start + k, count - k));
        }
        else
        {
            Path(leaves, index - k, start + k, count - k, path);
            path.Add(Root(leaves, start, k));
        }
    }

    private static byte[] Node(byte[] left, byte[] right)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x01]);
        sha.AppendData(left);
        sha.AppendData(right);
        return sha.GetHashAndReset();
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
            k <<= 1;
        return k;
    }

    private sealed class StreamIdOrder : IComparer<Guid>
    {
        public static readonly StreamIdOrder Instance = new();

        public int Compare(Guid x, Guid y)
        {
            Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
            x.TryWriteBytes(a, bigEndian: true, out _);
            y.TryWriteBytes(b, bigEndian: true, out _);
            return a.SequenceCompareTo(b);
        }
    }
}
