using Users.Domain.Auditing;

namespace Users.Domain.Tests.Auditing;

public sealed class StreamAuditTests
{
    private static readonly Guid Stream = Guid.CreateVersion7();

    private static StoredEvent Event(long version, string data = "{\"first_name\": \"Ada\"}") =>
        new(100 + version, Guid.CreateVersion7(), Stream, version, "user_profile_updated", data, null, "{\"origin\": \"api/v1\"}",
            1_764_000_000_000_000 + version, "actor", "corr", "cause", "*DEFAULT*");

    /// <summary>Five events and the chain records the trigger would have written for them.</summary>
    private static (List<StoredEvent> Events, List<ChainLink> Links) History()
    {
        var events = Enumerable.Range(1, 5).Select(v => Event(v, $"{{\"first_name\": \"name {v}\"}}")).ToList();
        var links = new List<ChainLink>();
        var previous = EventChain.Genesis.ToArray();
        foreach (var e in events)
        {
            var hash = EventChain.Hash(previous, e);
            links.Add(new ChainLink(e.Sequence, e.Version, previous, hash));
            previous = hash;
        }
        return (events, links);
    }

    private static IEnumerable<string> Breaks(IReadOnlyCollection<StoredEvent> events, IReadOnlyCollection<ChainLink> links,
        IReadOnlyCollection<CheckpointedHead>? signed = null, long? streamVersion = null) =>
        StreamAudit.Verify(Stream, events, links, signed ?? [], streamVersion ?? (events.Count == 0 ? 0 : events.Max(e => e.Version)))
            .Breaks.Select(b => $"{b.Kind}@{b.Version}");

    [Fact]
    public void an_untouched_stream_verifies_and_recomputes_its_chain()
    {
        var (events, links) = History();
        var verdict = StreamAudit.Verify(Stream, events, links, [new CheckpointedHead(1, 3, links[2].Hash)], 5);
        verdict.Breaks.ShouldBeEmpty();
        verdict.Recomputed[5].ShouldBe(links[4].Hash);
    }

    [Fact]
    public void every_stored_field_is_covered_by_the_hash()
    {
        var e = Event(1);
        var hash = EventChain.Hash(EventChain.Genesis, e);
        StoredEvent[] changed =
        [
            e with { Sequence = e.Sequence + 1 }, e with { Id = Guid.CreateVersion7() }, e with { StreamId = Guid.CreateVersion7() },
            e with { Version = 2 }, e with { Type = "user_erased" }, e with { Data = "{\"first_name\": \"Adb\"}" },
            e with { BinaryData = [1] }, e with { Headers = null }, e with { TimestampMicros = e.TimestampMicros + 1 },
            e with { UserName = "other" }, e with { CorrelationId = null }, e with { CausationId = "" }, e with { TenantId = "t" },
        ];
        foreach (var other in changed)
            EventChain.Hash(EventChain.Genesis, other).ShouldNotBe(hash, other.ToString());
        // A field's end is unambiguous: moving text from one field to the next changes the hash.
        EventChain.Hash(EventChain.Genesis, e with { CorrelationId = "cor", CausationId = "rcause" }).ShouldNotBe(hash);
    }

    [Fact]
    public void a_changed_event_is_located()
    {
        var (events, links) = History();
        events[3] = events[3] with { Data = "{\"first_name\": \"name X\"}" };
        Breaks(events, links).ShouldBe(["changed@4"]);
    }

    [Fact]
    public void a_deleted_event_is_located()
    {
        var (events, links) = History();
        events.RemoveAt(1);
        Breaks(events, links).ShouldBe(["missing@2"]);
    }

    [Fact]
    public void swapped_versions_are_located_at_both()
    {
        var (events, links) = History();
        (events[1], events[2]) = (events[1] with { Version = 3 }, events[2] with { Version = 2 });
        Breaks(events, links).ShouldBe(["reordered@2", "reordered@3"]);
    }

    [Fact]
    public void a_rollback_is_found_from_the_chain_and_from_a_signed_head()
    {
        var (events, links) = History();
        Breaks(events.Take(3).ToList(), links).ShouldBe(["rolled_back@4"]);
        Breaks(events.Take(3).ToList(), links.Take(3).ToList(), [new CheckpointedHead(7, 5, links[4].Hash)]).ShouldBe(["rolled_back@4"]);
    }

    [Fact]
    public void a_consistent_rewrite_is_narrowed_to_the_versions_between_two_signed_heads()
    {
        var (events, links) = History();
        var signed = new List<CheckpointedHead> { new(1, 2, links[1].Hash), new(2, 4, links[3].Hash) };
        events[2] = events[2] with { Data = "{\"first_name\": \"forged\"}" };
        // The writer rebuilt the chain records over the forged event: they agree with the events.
        var previous = EventChain.Genesis.ToArray();
        var rewritten = events.Select(e =>
        {
            var hash = EventChain.Hash(previous, e);
            var link = new ChainLink(e.Sequence, e.Version, previous, hash);
            previous = hash;
            return link;
        }).ToList();

        var breaks = StreamAudit.Verify(Stream, events, rewritten, signed, 5).Breaks;
        breaks.Select(b => $"{b.Kind}@{b.Version}").ShouldBe(["changed@3"]);
        breaks[0].Detail.ShouldContain("versions 3–4");
    }

    [Fact]
    public void an_event_stored_without_the_trigger_is_unchained()
    {
        var (events, links) = History();
        Breaks(events, links.Take(4).ToList()).ShouldBe(["unchained@5"]);
    }
}
