namespace Users.Projections;

/// <summary>
/// One verified address held by one user. The id is the normalized address (<see cref="Users.Domain.Rules.EmailAddress.Normalize"/>),
/// so PostgreSQL's primary key lets one holder exist at most; a second owner fails the whole commit.
/// Unverified addresses have no owner document: any number of accounts may hold one until one of them verifies it.
/// Stored in <c>mt_doc_emailclaim</c> (its name before the rename, kept by an alias in MartenRegistration).
/// </summary>
public sealed class EmailOwnership
{
    /// <summary>The normalized address: NFC, IDNA domain, case-folded.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}
