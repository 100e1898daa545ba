namespace Users.Projections;

/// <summary>Marks an integration event as handled by a consumer, so redeliveries have no second effect.</summary>
public sealed class ProcessedMessage
{
    /// <summary>"&lt;consumer&gt;:&lt;event_id&gt;".</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}
