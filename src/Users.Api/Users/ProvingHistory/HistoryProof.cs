namespace Users.Api.Users.ProvingHistory;

/// <summary>
/// What an auditor needs to check a user's history without trusting the service: the stream's hash chain, its
/// head, the latest signed checkpoint with the Merkle path from this stream's signed head to its root, and what
/// the server found when it recomputed them. Hashes, keys and signatures are lowercase hex.
/// </summary>
public sealed record HistoryProof(
    Guid UserId,
    IReadOnlyList<ProofLink> Chain,
    ProofHead? Head,
    ProofCheckpoint? Checkpoint,
    ProofVerification Verification);
