namespace Users.Notifications.Ordering;

/// <summary>How far a consumer got in one user's events: the last version it handled (or passed over as effect-free).</summary>
public sealed class ConsumerProgress
{
    /// <summary>"&lt;consumer&gt;:&lt;user id&gt;".</summary>
    public string Id { get; set; } = "";
    public long LastVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static string IdFor(string consumer, Guid userId) => $"{consumer}:{userId}";
}

/// <summary>
/// The event store's highest sequence when a consumer's version gate first started. A user whose first event is at
/// or below it existed before the gate: their earlier events were handled without progress being kept, so the
/// first version the gate sees for them is where it starts. Written once, never moved.
/// </summary>
public sealed class GateBaseline
{
    /// <summary>The consumer's name.</summary>
    public string Id { get; set; } = "";
    public long HighestSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
