namespace Users.Projections;

/// <summary>
/// One address held by one user, as primary or secondary email. The id is the normalized address, so
/// PostgreSQL's primary key lets one holder exist at most; a second claim fails the whole commit.
/// </summary>
public sealed class EmailClaim
{
    /// <summary>The lower-cased address.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}

/// <summary>One username held by one user; keyed by the (lower-case) username itself.</summary>
public sealed class UsernameClaim
{
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}
