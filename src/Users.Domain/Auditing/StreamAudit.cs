namespace Users.Domain.Auditing;

/// <summary>
/// Checks one stream: every stored event against its chain record (exact location of a changed, moved or deleted
/// event when the chain table is intact), the chain records against each other, and the chain recomputed from the
/// first event against every head a signed checkpoint recorded (which still catches a writer who rewrote the
/// events and the chain table consistently, to within the versions between two checkpoints).
/// </summary>
public static class StreamAudit
{
    public sealed record Verdict(Guid StreamId, IReadOnlyList<ChainBreak> Breaks, IReadOnlyDictionary<long, byte[]> Recomputed, long LastVersion);

    /// <param name="events">The stream's stored events in any order.</param>
    /// <param name="links">The stream's chain records in any order.</param>
    /// <param name="checkpointed">The heads of this stream that signed checkpoints recorded.</param>
    /// <param name="streamVersion">The version <c>mt_streams</c> holds, null when the stream row is gone.</param>
    public static Verdict Verify(Guid streamId, IReadOnlyCollection<StoredEvent> events, IReadOnlyCollection<ChainLink> links,
        IReadOnlyCollection<CheckpointedHead> checkpointed, long? streamVersion)
    {
        var breaks = new List<ChainBreak>();
        void Break(long version, string kind, string detail) => breaks.Add(new ChainBreak(streamId, version, kind, detail));

        var eventAt = events.ToDictionary(e => e.Version);
        var eventSequences = events.Select(e => e.Sequence).ToHashSet();
        var linkAt = links.ToDictionary(l => l.Version);
        var linkOf = links.GroupBy(l => l.Sequence).ToDictionary(g => g.Key, g => g.First());
        var lastEvent = events.Count > 0 ? events.Max(e => e.Version) : 0;
        var lastLink = links.Count > 0 ? links.Max(l => l.Version) : 0;

        foreach (var e in events.OrderBy(e => e.Version))
        {
            linkAt.TryGetValue(e.Version, out var link);
            if (link is not null && link.Sequence == e.Sequence)
            {
                if (!EventChain.Hash(link.PreviousHash, e).AsSpan().SequenceEqual(link.Hash))
                    Break(e.Version, BreakKinds.Changed, $"event {e.Sequence} ({e.Type}) no longer hashes to its chain record");
            }
            else if (linkOf.TryGetValue(e.Sequence, out var moved))
                Break(e.Version, BreakKinds.Reordered, $"event {e.Sequence} ({e.Type}) stands at version {e.Version} but was chained at version {moved.Version}");
            else if (link is not null)
                Break(e.Version, BreakKinds.Changed, $"event {e.Sequence} ({e.Type}) stands where event {link.Sequence} was chained");
            else
                Break(e.Version, BreakKinds.Unchained, $"event {e.Sequence} ({e.Type}) has no chain record");
        }

        var previous = EventChain.Genesis.ToArray();
        var previousVersion = 0L;
        foreach (var link in links.OrderBy(l => l.Version))
        {
            if (link.Version != previousVersion + 1 || !link.PreviousHash.AsSpan().SequenceEqual(previous))
                Break(link.Version, BreakKinds.Changed, $"the chain record does not follow the one at version {previousVersion} (the chain table was edited)");
            previous = link.Hash;
            previousVersion = link.Version;
            if (!eventAt.ContainsKey(link.Version) && !eventSequences.Contains(link.Sequence) && link.Version < lastEvent)
                Break(link.Version, BreakKinds.Missing, $"event {link.Sequence}, chained at this version, is gone");
        }
        if (lastLink > lastEvent)
            Break(lastEvent + 1, BreakKinds.RolledBack, $"versions {lastEvent + 1}–{lastLink} were chained; the stream now ends at version {lastEvent}");
        for (var v = 1L; v < lastEvent; v++)
        {
            if (!eventAt.ContainsKey(v) && !linkAt.ContainsKey(v))
                Break(v, BreakKinds.Missing, "no event and no chain record at this version");
        }
        if (streamVersion is { } stored && stored != lastEvent)
            Break(Math.Min(stored, lastEvent) + 1, stored < lastEvent ? BreakKinds.RolledBack : BreakKinds.Missing,
                $"the stream's version is {stored}, its last event is version {lastEvent}");

        // The chain from the first event, independent of the chain table: what a signed head must still match.
        var recomputed = new Dictionary<long, byte[]>();
        var hash = EventChain.Genesis.ToArray();
        for (var v = 1L; eventAt.TryGetValue(v, out var e); v++)
        {
            hash = EventChain.Hash(hash, e);
            recomputed[v] = hash;
        }

        var lastGood = 0L;
        foreach (var head in checkpointed.OrderBy(c => c.Version).ThenBy(c => c.Checkpoint))
        {
            if (head.Version > lastEvent)
            {
                if (!breaks.Any(b => b.Kind == BreakKinds.RolledBack))
                    Break(lastEvent + 1, BreakKinds.RolledBack, $"checkpoint {head.Checkpoint} signed version {head.Version}; the stream now ends at version {lastEvent}");
                continue;
            }
            if (recomputed.TryGetValue(head.Version, out var h) && h.AsSpan().SequenceEqual(head.Hash))
            {
                lastGood = head.Version;
                continue;
            }
            var from = lastGood;
            if (!breaks.Any(b => b.Version > from && b.Version <= head.Version))
                Break(lastGood + 1, BreakKinds.Changed,
                    $"the events up to version {head.Version} no longer hash to what checkpoint {head.Checkpoint} signed: the change lies in versions {lastGood + 1}–{head.Version}");
        }

        return new Verdict(streamId, breaks.OrderBy(b => b.Version).ToList(), recomputed, lastEvent);
    }
}
