using System.Diagnostics;
using Npgsql;
using Users.Domain.Auditing;

namespace Users.Api.Auditing;

/// <summary>
/// Recomputes the chains and the checkpoints from what the database stores, trusting only the configured public
/// key: every event's hash, every checkpoint's digest, root, link to the one before and signature, and every head a
/// checkpoint signed against the chain recomputed from the first event (heads may have grown since).
/// </summary>
public static class ChainVerification
{
    public sealed record Report(long Events, long Streams, int Checkpoints, IReadOnlyList<ChainBreak> Breaks, TimeSpan Elapsed)
    {
        public bool Verified => Breaks.Count == 0;
    }

    /// <summary>What the checkpoints say once checked: their faults, the heads they signed per stream, and the last one's heads.</summary>
    public sealed record CheckpointState(
        List<ChainBreak> Breaks,
        Dictionary<Guid, List<CheckpointedHead>> SignedHeads,
        ChainReader.Checkpoint? Latest,
        StreamHead[] LatestHeads);

    public static async Task<Report> VerifyAsync(NpgsqlConnection connection, string schema, byte[]? trustedKey, Guid? stream, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var checkpoints = await ChainReader.CheckpointsAsync(connection, schema, ct);
        var state = VerifyCheckpoints(checkpoints, trustedKey, everyRoot: true);
        var breaks = state.Breaks;
        var links = await ChainReader.LinksAsync(connection, schema, stream, ct);
        var versions = await ChainReader.StreamVersionsAsync(connection, schema, stream, ct);

        long events = 0, streams = 0;
        var seen = new HashSet<Guid>();
        var current = new List<StoredEvent>();
        void Finish()
        {
            if (current.Count == 0)
                return;
            breaks.AddRange(VerifyStream(current[0].StreamId, current, links, state, versions).Breaks);
            seen.Add(current[0].StreamId);
            streams++;
            current = [];
        }
        await foreach (var e in ChainReader.EventsAsync(connection, schema, stream, ct))
        {
            if (current.Count > 0 && current[0].StreamId != e.StreamId)
                Finish();
            current.Add(e);
            events++;
        }
        Finish();
        // Streams chained or signed whose events are all gone.
        foreach (var gone in links.Keys.Concat(state.SignedHeads.Keys).Where(id => stream is null || id == stream).Distinct().Where(id => !seen.Contains(id)).ToList())
            breaks.AddRange(VerifyStream(gone, [], links, state, versions).Breaks);

        return new Report(events, streams, checkpoints.Count, breaks, clock.Elapsed);
    }

    public static StreamAudit.Verdict VerifyStream(Guid stream, IReadOnlyCollection<StoredEvent> events,
        Dictionary<Guid, List<ChainLink>> links, CheckpointState state, Dictionary<Guid, long> versions) =>
        StreamAudit.Verify(stream, events, links.GetValueOrDefault(stream) ?? [], state.SignedHeads.GetValueOrDefault(stream) ?? [],
            versions.TryGetValue(stream, out var version) ? version : null);

    /// <param name="everyRoot">Recompute every checkpoint's root (the command); otherwise only the last one's (the proof endpoint).</param>
    public static CheckpointState VerifyCheckpoints(IReadOnlyList<ChainReader.Checkpoint> checkpoints, byte[]? trustedKey, bool everyRoot)
    {
        var breaks = new List<ChainBreak>();
        void Break(long number, string detail) => breaks.Add(new ChainBreak(Guid.Empty, number, BreakKinds.Checkpoint, detail));

        if (checkpoints.Count > 0 && trustedKey is null)
            Break(checkpoints[0].Number, "no trusted public key is configured (Audit:PublicKey or Audit:SigningKey): signatures cannot be checked");
        var heads = new Dictionary<Guid, StreamHead>();
        var signed = new Dictionary<Guid, List<CheckpointedHead>>();
        var previous = EventChain.Genesis.ToArray();
        var previousNumber = 0L;
        StreamHead[] ordered = [];
        for (var i = 0; i < checkpoints.Count; i++)
        {
            var c = checkpoints[i];
            if (c.Number != previousNumber + 1)
                Break(c.Number, $"checkpoints {previousNumber + 1}–{c.Number - 1} are gone");
            else if (!c.PreviousHash.AsSpan().SequenceEqual(previous))
                Break(c.Number, $"does not follow checkpoint {previousNumber} (its previous hash differs)");
            foreach (var head in c.Heads)
            {
                heads[head.StreamId] = head;
                if (!signed.TryGetValue(head.StreamId, out var list))
                    signed[head.StreamId] = list = [];
                list.Add(new CheckpointedHead(c.Number, head.Version, head.Hash));
            }
            if (everyRoot || i == checkpoints.Count - 1)
            {
                ordered = MerkleTree.Ordered(heads.Values);
                if (!MerkleTree.Root(ordered).AsSpan().SequenceEqual(c.Root))
                    Break(c.Number, "its Merkle root does not match the heads recorded with it (a recorded head was changed, added or removed)");
                if (ordered.Length != c.StreamCount || ordered.Sum(h => h.Version) != c.EventCount)
                    Break(c.Number, $"it counts {c.StreamCount} streams and {c.EventCount} events; its heads hold {ordered.Length} and {ordered.Sum(h => h.Version)}");
            }
            var digest = CheckpointDigest.Of(c.Number, c.CreatedAtMicros, c.StreamCount, c.EventCount, c.Root, c.PreviousHash);
            if (!digest.AsSpan().SequenceEqual(c.Hash))
                Break(c.Number, "its hash does not cover its own fields (number, time, counts, root or previous hash changed)");
            if (trustedKey is not null)
            {
                if (!c.PublicKey.AsSpan().SequenceEqual(trustedKey))
                    Break(c.Number, $"signed by key {Convert.ToHexStringLower(c.PublicKey)}, not the trusted {Convert.ToHexStringLower(trustedKey)}");
                else if (!CheckpointSigner.Verify(trustedKey, digest, c.Signature))
                    Break(c.Number, "bad signature");
            }
            previous = c.Hash;
            previousNumber = c.Number;
        }
        return new CheckpointState(breaks, signed, checkpoints.Count > 0 ? checkpoints[^1] : null, ordered);
    }
}
