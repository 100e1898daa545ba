namespace Users.Domain.Auditing;

/// <summary>A stream's last event as a checkpoint records it: its version and its chain hash.</summary>
public sealed record StreamHead(Guid StreamId, long Version, byte[] Hash);
