using Microsoft.Extensions.DependencyInjection;
using Users.Api.Auditing;
using Users.Api.Tests.Infrastructure;
using Users.Domain.Auditing;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>A stack of its own: nothing here is tampered with, so the whole database must verify.</summary>
public sealed class UntouchedHistoryTests(UsersStack stack) : IClassFixture<UsersStack>
{
    [Fact]
    public async Task an_untouched_history_verifies_by_the_proof_and_by_the_command()
    {
        var ada = await stack.UserWithHistoryAsync("chain-ada");
        var bob = await stack.UserWithHistoryAsync("chain-bob");
        var first = await stack.CheckpointAsync();
        // Heads grow after a checkpoint: the signed head must still be in the chain at its version.
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{ada}", new { last_name = "King" })).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var second = await stack.CheckpointAsync();
        second.ShouldBe(first + 1);
        (await stack.Api.PatchJsonAsync($"/api/v1/users/{bob}", new { last_name = "Builder" })).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        var proof = await stack.ProofAsync(bob);
        ChainSteps.Breaks(proof).ShouldBeEmpty();
        proof["verification"]!["verified"]!.GetValue<bool>().ShouldBeTrue();
        var chain = proof["chain"]!.AsArray();
        chain.Select(l => l!["version"]!.GetValue<long>()).ShouldBe([1L, 2, 3, 4, 5, 6]);
        chain[0]!["prev_hash"]!.GetValue<string>().ShouldBe(new string('0', 64));
        for (var i = 1; i < chain.Count; i++)
            chain[i]!["prev_hash"]!.GetValue<string>().ShouldBe(chain[i - 1]!["hash"]!.GetValue<string>());
        proof["head"]!["version"]!.GetValue<long>().ShouldBe(6);

        // The checkpoint proves itself with nothing but the published public key.
        var checkpoint = proof["checkpoint"]!;
        checkpoint["number"]!.GetValue<long>().ShouldBe(second);
        var publicKey = Convert.FromHexString(checkpoint["public_key"]!.GetValue<string>());
        publicKey.ShouldBe(stack.ApiServices.GetRequiredService<AuditSettings>().TrustedPublicKey);
        var root = Convert.FromHexString(checkpoint["root"]!.GetValue<string>());
        var digest = CheckpointDigest.Of(second, Micros(checkpoint["created_at"]!.GetValue<DateTimeOffset>()),
            checkpoint["stream_count"]!.GetValue<long>(), checkpoint["event_count"]!.GetValue<long>(), root,
            Convert.FromHexString(checkpoint["previous_hash"]!.GetValue<string>()));
        Convert.ToHexStringLower(digest).ShouldBe(checkpoint["hash"]!.GetValue<string>());
        CheckpointSigner.Verify(publicKey, digest, Convert.FromHexString(checkpoint["signature"]!.GetValue<string>())).ShouldBeTrue();
        // Bob's head as signed (version 5, before his last update) is under the root, and is his chain's hash at 5.
        var inclusion = checkpoint["inclusion"]!;
        inclusion["version"]!.GetValue<long>().ShouldBe(5);
        inclusion["head_hash"]!.GetValue<string>().ShouldBe(chain[4]!["hash"]!.GetValue<string>());
        MerkleTree.VerifyInclusion(new StreamHead(bob, 5, Convert.FromHexString(inclusion["head_hash"]!.GetValue<string>())),
            inclusion["leaf_index"]!.GetValue<long>(), inclusion["tree_size"]!.GetValue<long>(),
            inclusion["path"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList(), root).ShouldBeTrue();

        var (exitCode, output) = await stack.AuditVerifyAsync();
        output.ShouldContain(" streams, 2 checkpoints");
        output.ShouldMatch(@"verified \d+ events in \d+ streams, 2 checkpoints");
        exitCode.ShouldBe(0, output);
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
