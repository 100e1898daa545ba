namespace Users.Projections;

/// <summary>
/// One verified address held by one user. The id is the normalized address (<see cref="Users.Domain.Rules.EmailAddress.Normalize"/>),
/// so PostgreSQL's primary key lets one holder exist at most; a second claim fails the whole commit.
/// Unverified addresses have no claim: any number of accounts may hold one until one of them verifies it.
/// </summary>
public sealed class EmailClaim
{
    /// <summary>The normalized address: NFC, IDNA domain, case-folded.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}

/// <summary>One username held by one user; keyed by the (lower-case) username itself.</summary>
public sealed class UsernameClaim
{
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}
