using System.Security.Cryptography;
using Users.Domain.Auditing;

namespace Users.Domain.Tests.Auditing;

public sealed class MerkleTreeTests
{
    // RFC 6962's reference inputs and the roots of their first n leaves (certificate-transparency test data).
    private static readonly byte[][] Inputs = new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
        .Select(Convert.FromHexString).ToArray();

    [Theory]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void the_root_is_rfc_6962s(int leaves, string root) =>
        Convert.ToHexStringLower(MerkleTree.RootOfLeaves(Inputs.Take(leaves).Select(LeafHash).ToArray())).ShouldBe(root);

    [Fact]
    public void the_root_of_no_heads_is_the_hash_of_nothing() =>
        Convert.ToHexStringLower(MerkleTree.Root([])).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    [Fact]
    public void every_heads_inclusion_path_leads_to_the_root_and_only_from_its_own_place()
    {
        for (var size = 1; size <= 17; size++)
        {
            var heads = MerkleTree.Ordered(Enumerable.Range(0, size).Select(i => new StreamHead(Guid.NewGuid(), i + 1, SHA256.HashData([(byte)i]))));
            var root = MerkleTree.Root(heads);
            for (var i = 0; i < size; i++)
            {
                var path = MerkleTree.InclusionPath(heads, i);
                MerkleTree.VerifyInclusion(heads[i], i, size, path, root).ShouldBeTrue($"leaf {i} of {size}");
                MerkleTree.VerifyInclusion(heads[i] with { Version = heads[i].Version + 1 }, i, size, path, root).ShouldBeFalse();
                if (size > 1)
                    MerkleTree.VerifyInclusion(heads[i], (i + 1) % size, size, path, root).ShouldBeFalse($"leaf {i} of {size} at another index");
            }
        }
    }

    [Fact]
    public void heads_are_ordered_as_postgresql_orders_uuids()
    {
        // PostgreSQL compares the 16 bytes in RFC 4122 order, unsigned: 7f… before 80…, and the first byte decides.
        var a = Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff");
        var b = Guid.Parse("80000000-0000-0000-0000-000000000000");
        MerkleTree.Ordered([new StreamHead(b, 1, new byte[32]), new StreamHead(a, 1, new byte[32])]).Select(h => h.StreamId).ShouldBe([a, b]);
    }

    private static byte[] LeafHash(byte[] data) => SHA256.HashData([0x00, .. data]);
}
