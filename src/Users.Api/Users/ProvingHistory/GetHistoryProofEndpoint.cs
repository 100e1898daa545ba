using Marten;
using Users.Api.Auditing;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.Auditing;

namespace Users.Api.Users.ProvingHistory;

/// <summary>
/// <c>GET /api/v1/users/{id}/history/proof</c>: the user's hash chain, head and latest signed checkpoint, recomputed
/// from the stored events on every request (same access as the history).
/// </summary>
public static class GetHistoryProofEndpoint
{
    public static void MapGetHistoryProof(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/users/{id:guid}/history/proof", Handle)
            .RequireProfileAccess(Access.Read)
            .WithName("GetUserHistoryProof")
            .WithSummary("The user's event hash chain, its head and the latest signed checkpoint with a Merkle inclusion path, verified by the server.")
            .Produces<HistoryProof>();

    private static async Task<IResult> Handle(Guid id, IDocumentStore store, AuditSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = await CheckpointWriter.OpenAsync(store, ct);
        var events = await ChainReader.EventsAsync(connection, schema, id, ct).ToListAsync(ct);
        var links = await ChainReader.LinksAsync(connection, schema, id, ct);
        var versions = await ChainReader.StreamVersionsAsync(connection, schema, id, ct);
        if (events.Count == 0 && links.Count == 0 && versions.Count == 0)
            return ApiProblem.NotFound(id);

        var checkpoints = await ChainReader.CheckpointsAsync(connection, schema, ct);
        var state = ChainVerification.VerifyCheckpoints(checkpoints, settings.TrustedPublicKey, everyRoot: false);
        var verdict = ChainVerification.VerifyStream(id, events, links, state, versions);

        var chain = (links.GetValueOrDefault(id) ?? []).OrderBy(l => l.Version)
            .Select(l => new ProofLink(l.Version, l.Sequence, Hex(l.PreviousHash), Hex(l.Hash))).ToList();
        var head = chain.Count > 0 ? new ProofHead(chain[^1].Version, chain[^1].Hash) : null;
        var breaks = state.Breaks.Select(b => new ProofBreak(b.Kind, null, b.Version, b.Detail))
            .Concat(verdict.Breaks.Select(b => new ProofBreak(b.Kind, b.Version, null, b.Detail)))
            .ToList();

        ProofCheckpoint? checkpoint = null;
        if (state.Latest is { } latest)
        {
            ProofInclusion? inclusion = null;
            var index = Array.FindIndex(state.LatestHeads, h => h.StreamId == id);
            if (index >= 0)
            {
                var signedHead = state.LatestHeads[index];
                var path = MerkleTree.InclusionPath(state.LatestHeads, index);
                if (!MerkleTree.VerifyInclusion(signedHead, index, state.LatestHeads.Length, path, latest.Root))
                    breaks.Add(new ProofBreak(BreakKinds.Checkpoint, null, latest.Number, "this stream's head is not under the checkpoint's root"));
                inclusion = new ProofInclusion(signedHead.Version, Hex(signedHead.Hash), index, state.LatestHeads.Length, path.Select(Hex).ToList());
            }
            checkpoint = new ProofCheckpoint(latest.Number, latest.CreatedAt, latest.StreamCount, latest.EventCount, Hex(latest.Root),
                Hex(latest.PreviousHash), Hex(latest.Hash), Hex(latest.Signature), Hex(latest.PublicKey), inclusion);
        }

        return TypedResults.Ok(new HistoryProof(id, chain, head, checkpoint,
            new ProofVerification(breaks.Count == 0, clock.GetUtcNow(), breaks)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
