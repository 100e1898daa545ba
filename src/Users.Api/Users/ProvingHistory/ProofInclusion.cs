namespace Users.Api.Users.ProvingHistory;

/// <summary>
/// This stream's head as the checkpoint recorded it (a version the chain must still hold at this hash), its leaf
/// index among the checkpoint's heads (sorted by stream id) and the RFC 6962 audit path to the root.
/// </summary>
public sealed record ProofInclusion(long Version, string HeadHash, long LeafIndex, long TreeSize, IReadOnlyList<string> Path);
