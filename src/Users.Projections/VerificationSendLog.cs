namespace Users.Projections;

/// <summary>
/// When an address or number was last asked a verification mail or code, by any account: the per-address half of
/// <c>VerificationSendCap</c> (the per-user half lives on the user's stream). Written by the API in the transaction
/// that appends the request; holds the normalized address, so erasure does not need it (it names no account) and
/// it ages out: only the last hour counts.
/// </summary>
public sealed class VerificationSendLog
{
    /// <summary>"mail:&lt;normalized address&gt;" or "sms:&lt;E.164 number&gt;".</summary>
    public string Id { get; set; } = "";
    public List<DateTimeOffset> SentAt { get; set; } = [];
}
