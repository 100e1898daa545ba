namespace Users.Api.Users.ProvingHistory;

/// <summary>
/// Where the history breaks: <see cref="Version"/> of this user's stream, or <see cref="Checkpoint"/> for a fault of a
/// checkpoint itself. <see cref="Kind"/>: changed, missing, reordered, rolled_back, unchained or checkpoint.
/// </summary>
public sealed record ProofBreak(string Kind, long? Version, long? Checkpoint, string Detail);
