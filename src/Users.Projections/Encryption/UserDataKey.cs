namespace Users.Projections.Encryption;

/// <summary>
/// A user's data key, wrapped (AES-256-GCM) by the master key, in its own table (<c>mt_doc_userdatakey</c>). Created
/// in the transaction of the first event that needs it; deleted by erasure, which makes every value sealed with it
/// unreadable, in the event store and in every backup, without touching a stored event.
/// </summary>
public sealed class UserDataKey
{
    /// <summary>The user's id, which is also the key id named in every value sealed with it.</summary>
    public Guid Id { get; set; }
    /// <summary>nonce | wrapped key | tag; the user's id is the associated data, so a row moved to another user does not open.</summary>
    public byte[] WrappedKey { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
