namespace Users.Domain.Auditing;

/// <summary>Where and how stored history differs from what was chained or signed.</summary>
/// <param name="StreamId">The user's stream, or <see cref="Guid.Empty"/> for a checkpoint's own fault.</param>
/// <param name="Version">The first version concerned (a checkpoint's number for a checkpoint fault).</param>
/// <param name="Kind">One of <see cref="BreakKinds"/>.</param>
public sealed record ChainBreak(Guid StreamId, long Version, string Kind, string Detail)
{
    public override string ToString() =>
        StreamId == Guid.Empty ? $"checkpoint {Version}: {Kind}: {Detail}" : $"stream {StreamId} version {Version}: {Kind}: {Detail}";
}

public static class BreakKinds
{
    /// <summary>An event's stored bytes (or its chain record) differ from what was chained or signed.</summary>
    public const string Changed = "changed";
    /// <summary>An event inside the stream is gone.</summary>
    public const string Missing = "missing";
    /// <summary>An event stands at another version than the one it was chained at.</summary>
    public const string Reordered = "reordered";
    /// <summary>The stream ends before a version that was chained or signed.</summary>
    public const string RolledBack = "rolled_back";
    /// <summary>An event has no chain record (stored with the chain trigger disabled).</summary>
    public const string Unchained = "unchained";
    /// <summary>A checkpoint's signature, root or link to the previous one is wrong.</summary>
    public const string Checkpoint = "checkpoint";
}
