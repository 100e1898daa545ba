namespace Users.Domain.Auditing;

/// <summary>The chain record the database wrote when event <see cref="Sequence"/> was stored at <see cref="Version"/>.</summary>
public sealed record ChainLink(long Sequence, long Version, byte[] PreviousHash, byte[] Hash);
