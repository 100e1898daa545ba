using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Auditing.Chain;

/// <summary>
/// A database writer without the signing key edits one user's stored history; the proof endpoint and
/// <c>audit verify --user</c> both find it and say where. Each test tampers with its own user only.
/// Versions: 1 registered, 2 verification requested (worker), 3–5 first name Augusta, Countess, Lovelace.
/// </summary>
public sealed class TamperingTests(UsersStack stack) : IClassFixture<UsersStack>
{
    [Fact]
    public async Task changing_one_byte_of_one_event_is_detected_at_that_event()
    {
        var id = await stack.UserWithHistoryAsync("chain-byte");
        await stack.ExecuteAsync("update {schema}.mt_events set data = regexp_replace(data::text, 'enc:v1:', 'enc:v0:')::jsonb where stream_id = @id and version = 4", ("id", id));

        await ExpectBreaksAsync(id, "changed@4");
    }

    [Fact]
    public async Task deleting_an_event_is_detected_at_its_version()
    {
        var id = await stack.UserWithHistoryAsync("chain-delete");
        await stack.ExecuteAsync("delete from {schema}.mt_events where stream_id = @id and version = 3", ("id", id));

        await ExpectBreaksAsync(id, "missing@3");
    }

    [Fact]
    public async Task swapping_two_events_versions_is_detected_at_both()
    {
        var id = await stack.UserWithHistoryAsync("chain-swap");
        await stack.ExecuteAsync("""
            update {schema}.mt_events set version = -3 where stream_id = @id and version = 3;
            update {schema}.mt_events set version = 3 where stream_id = @id and version = 4;
            update {schema}.mt_events set version = 4 where stream_id = @id and version = -3;
            """, ("id", id));

        await ExpectBreaksAsync(id, "reordered@3", "reordered@4");
    }

    [Fact]
    public async Task rolling_a_stream_back_is_detected_from_the_chain()
    {
        var id = await stack.UserWithHistoryAsync("chain-rollback");
        await RollBackEventsAsync(id, to: 3);

        await ExpectBreaksAsync(id, "rolled_back@4");
    }

    [Fact]
    public async Task rewriting_events_and_the_chain_consistently_is_caught_by_the_signed_checkpoint()
    {
        var id = await stack.UserWithHistoryAsync("chain-rewrite");
        await stack.CheckpointAsync();
        // The writer changes an event and rebuilds the chain records over the changed bytes, so that the chain
        // table agrees with the events: only the signed head can tell.
        await stack.ExecuteAsync("""
            update {schema}.mt_events set data = regexp_replace(data::text, 'enc:v1:', 'enc:v0:')::jsonb where stream_id = @id and version = 3;
            delete from {schema}.audit_event_chain where stream_id = @id;
            delete from {schema}.audit_stream_head where stream_id = @id;
            select {schema}.audit_chain_stream(@id);
            """, ("id", id));

        var breaks = await ExpectBreaksAsync(id, "changed@1");
        breaks.ShouldContain("versions 1–5");
    }

    [Fact]
    public async Task rolling_back_events_and_the_chain_together_is_caught_by_the_signed_checkpoint()
    {
        var id = await stack.UserWithHistoryAsync("chain-rollback-all");
        await stack.CheckpointAsync();
        await RollBackEventsAsync(id, to: 3);
        await stack.ExecuteAsync("""
            delete from {schema}.audit_event_chain where stream_id = @id and version > 3;
            update {schema}.audit_stream_head h set version = 3, hash = c.hash
            from {schema}.audit_event_chain c where h.stream_id = @id and c.stream_id = @id and c.version = 3;
            """, ("id", id));

        var breaks = await ExpectBreaksAsync(id, "rolled_back@4");
        breaks.ShouldContain("signed version 5");
    }

    // Erasure must change no stored byte the chain covers. Today (in-place masking) it rewrites every event of the
    // user, and this fails with changed@1…5; crypto-shredding (issue 17 item 2, another branch) deletes a key instead.
    [Fact]
    public async Task after_erasure_the_chain_still_verifies()
    {
        var id = await stack.UserWithHistoryAsync("chain-erased");
        await stack.CheckpointAsync();
        (await stack.Api.DeleteAsync($"/api/v1/users/{id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
        await stack.CheckpointAsync();

        var proof = await stack.ProofAsync(id);
        ChainSteps.Breaks(proof).ShouldBeEmpty(proof.ToJsonString());
        proof["head"]!["version"]!.GetValue<long>().ShouldBe(6);
        var (exitCode, output) = await stack.AuditVerifyAsync("--user", id.ToString());
        exitCode.ShouldBe(0, output);
        output.ShouldContain("verified 6 events in 1 streams");
    }

    private Task RollBackEventsAsync(Guid id, int to) =>
        stack.ExecuteAsync("""
            delete from {schema}.mt_events where stream_id = @id and version > @to;
            update {schema}.mt_streams set version = @to where id = @id;
            """, ("id", id), ("to", (long)to));

    /// <summary>Both the proof and the command report exactly these breaks of the user's stream; returns the command's output.</summary>
    private async Task<string> ExpectBreaksAsync(Guid id, params string[] expected)
    {
        var proof = await stack.ProofAsync(id);
        ChainSteps.Breaks(proof).ShouldBe(expected, proof["verification"]!.ToJsonString());
        proof["verification"]!["verified"]!.GetValue<bool>().ShouldBeFalse();

        var (exitCode, output) = await stack.AuditVerifyAsync("--user", id.ToString());
        exitCode.ShouldNotBe(0, output);
        foreach (var fault in expected)
        {
            var (kind, version) = (fault.Split('@')[0], fault.Split('@')[1]);
            output.ShouldContain($"stream {id} version {version}: {kind}:");
        }
        output.ShouldContain($"FAILED: {expected.Length} breaks");
        return output;
    }
}
