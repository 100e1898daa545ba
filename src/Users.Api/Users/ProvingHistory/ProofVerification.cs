namespace Users.Api.Users.ProvingHistory;

/// <summary>The server's recomputation at <see cref="VerifiedAt"/>: verified, or every break found.</summary>
public sealed record ProofVerification(bool Verified, DateTimeOffset VerifiedAt, IReadOnlyList<ProofBreak> Breaks);
