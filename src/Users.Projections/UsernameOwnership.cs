namespace Users.Projections;

/// <summary>One username held by one user; keyed by the (lower-case) username itself. Stored in
/// <c>mt_doc_usernameclaim</c> (its name before the rename, kept by an alias in MartenRegistration).</summary>
public sealed class UsernameOwnership
{
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
}
