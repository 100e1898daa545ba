namespace Users.Domain.Auditing;

/// <summary>
/// One event row as PostgreSQL stores it (<c>mt_events</c>), in the form its chain hash covers: <c>data</c> and
/// <c>headers</c> as PostgreSQL renders its jsonb (<c>data::text</c>; jsonb normalises what the app sent), the time
/// in microseconds since the Unix epoch (PostgreSQL's precision).
/// </summary>
public sealed record StoredEvent(
    long Sequence,
    Guid Id,
    Guid StreamId,
    long Version,
    string Type,
    string Data,
    byte[]? BinaryData,
    string? Headers,
    long TimestampMicros,
    string? UserName,
    string? CorrelationId,
    string? CausationId,
    string? TenantId);
