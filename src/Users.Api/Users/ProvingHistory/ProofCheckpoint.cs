namespace Users.Api.Users.ProvingHistory;

/// <summary>
/// The latest checkpoint: signature = Ed25519(public_key, hash), hash = SHA-256("users-audit-checkpoint/v1" ‖ number ‖
/// time ‖ stream_count ‖ event_count ‖ root ‖ previous_hash). <see cref="Inclusion"/> is null until a checkpoint has
/// recorded this stream.
/// </summary>
public sealed record ProofCheckpoint(
    long Number,
    DateTimeOffset CreatedAt,
    long StreamCount,
    long EventCount,
    string Root,
    string PreviousHash,
    string Hash,
    string Signature,
    string PublicKey,
    ProofInclusion? Inclusion);
