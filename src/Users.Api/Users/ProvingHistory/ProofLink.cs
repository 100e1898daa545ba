namespace Users.Api.Users.ProvingHistory;

/// <summary>One event's chain record: hash = SHA-256(prev_hash ‖ the event's stored fields), docs/auditing.md.</summary>
public sealed record ProofLink(long Version, long Sequence, string PrevHash, string Hash);
