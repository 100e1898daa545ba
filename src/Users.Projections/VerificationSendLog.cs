namespace Users.Projections;

/// <summary>
/// When an address or number was last asked a verification mail or code, by any account: the per-address half of
/// <c>VerificationSendCap</c> (the per-user half lives on the user's stream). Written by the API in the transaction
/// that appends the request. Keyed by the SHA-256 of the normalized address or number (it names no account, and
/// only the last hour of it counts); an erasure deletes the logs of the user's addresses and numbers.
/// </summary>
public sealed class VerificationSendLog
{
    /// <summary>"mail:&lt;SHA-256 of the normalized address&gt;" or "sms:&lt;SHA-256 of the E.164 number&gt;".</summary>
    public string Id { get; set; } = "";
    public List<DateTimeOffset> SentAt { get; set; } = [];
}
