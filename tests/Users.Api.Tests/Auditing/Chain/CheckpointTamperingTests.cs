using Npgsql;
using Users.Api.Auditing;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Auditing;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>
/// A writer without the signing key edits the checkpoints themselves. A stack of its own: a checkpoint fault is
/// every stream's fault, so each test puts back what it changed.
/// </summary>
public sealed class CheckpointTamperingTests(UsersStack stack) : IClassFixture<UsersStack>
{
    [Fact]
    public async Task a_bad_signature_is_detected()
    {
        var id = await stack.UserWithHistoryAsync("chain-signature");
        var number = await stack.CheckpointAsync();
        await stack.ExecuteAsync("update {schema}.audit_checkpoint set signature = set_byte(signature, 10, (get_byte(signature, 10) + 1) % 256) where number = @n", ("n", number));
        try
        {
            var proof = await stack.ProofAsync(id);
            ChainSteps.Breaks(proof).ShouldBe([$"checkpoint@{number}"]);
            proof["verification"]!["breaks"]![0]!["detail"]!.GetValue<string>().ShouldBe("bad signature");

            var (exitCode, output) = await stack.AuditVerifyAsync();
            exitCode.ShouldNotBe(0, output);
            output.ShouldContain($"checkpoint {number}: checkpoint: bad signature");
        }
        finally
        {
            await stack.ExecuteAsync("update {schema}.audit_checkpoint set signature = set_byte(signature, 10, (get_byte(signature, 10) + 255) % 256) where number = @n", ("n", number));
        }
        var (verifiedExit, verified) = await stack.AuditVerifyAsync();
        verifiedExit.ShouldBe(0, verified);
    }

    [Fact]
    public async Task a_checkpoint_re_signed_with_another_key_is_refused()
    {
        var id = await stack.UserWithHistoryAsync("chain-forged");
        var number = await stack.CheckpointAsync();
        // The writer rewrites the signed head, recomputes root and digest, and signs with a key of their own.
        var forger = CheckpointSigner.Generate();
        byte[] originalRoot = [], originalHash = [], originalSignature = [], originalKey = [];
        await using (var connection = new NpgsqlConnection(stack.PostgresConnection))
        {
            await connection.OpenAsync();
            var checkpoint = (await ChainReader.CheckpointsAsync(connection, stack.Schema, CancellationToken.None)).Single(c => c.Number == number);
            (originalRoot, originalHash, originalSignature, originalKey) = (checkpoint.Root, checkpoint.Hash, checkpoint.Signature, checkpoint.PublicKey);
            var root = MerkleTree.Root(MerkleTree.Ordered(checkpoint.Heads.Select(h => h.StreamId == id ? h with { Hash = new byte[32] } : h)));
            var digest = CheckpointDigest.Of(number, checkpoint.CreatedAtMicros, checkpoint.StreamCount, checkpoint.EventCount, root, checkpoint.PreviousHash);
            await stack.ExecuteAsync("""
                update {schema}.audit_checkpoint_head set hash = decode(repeat('00', 32), 'hex') where checkpoint = @n and stream_id = @id;
                update {schema}.audit_checkpoint set root = @root, hash = @hash, signature = @signature, public_key = @key where number = @n;
                """, ("n", number), ("id", id), ("root", root), ("hash", digest), ("signature", forger.Sign(digest)), ("key", forger.PublicKey));
        }
        var proof = await stack.ProofAsync(id);
        ChainSteps.Breaks(proof).ShouldContain($"checkpoint@{number}");
        proof["verification"]!["breaks"]!.AsArray().Select(b => b!["detail"]!.GetValue<string>())
            .ShouldContain(d => d.StartsWith($"signed by key {Convert.ToHexStringLower(forger.PublicKey)}, not the trusted"));
        var (exitCode, output) = await stack.AuditVerifyAsync();
        exitCode.ShouldNotBe(0, output);
        output.ShouldContain($"checkpoint {number}: checkpoint: signed by key {Convert.ToHexStringLower(forger.PublicKey)}");

        await stack.ExecuteAsync("""
            update {schema}.audit_checkpoint_head h set hash = c.hash from {schema}.audit_event_chain c
            where h.checkpoint = @n and h.stream_id = @id and c.stream_id = @id and c.version = h.version;
            update {schema}.audit_checkpoint set root = @root, hash = @hash, signature = @signature, public_key = @key where number = @n;
            """, ("n", number), ("id", id), ("root", originalRoot), ("hash", originalHash), ("signature", originalSignature), ("key", originalKey));
    }
}
