namespace Users.Api.Users.ProvingHistory;

/// <summary>The stream's last chained event.</summary>
public sealed record ProofHead(long Version, string Hash);
