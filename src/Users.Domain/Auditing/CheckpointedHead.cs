namespace Users.Domain.Auditing;

/// <summary>A head of one stream as signed checkpoint number <see cref="Checkpoint"/> recorded it.</summary>
public sealed record CheckpointedHead(long Checkpoint, long Version, byte[] Hash);
