namespace Users.Api.Http;

/// <summary>
/// A request made with an <c>Idempotency-Key</c> and the response it got, kept 24 hours.
/// Keyed by the caller and the key, so one caller's keys never collide with another's.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>"&lt;actor&gt;|&lt;key&gt;".</summary>
    public string Id { get; set; } = "";
    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public bool Completed { get; set; }
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? ETag { get; set; }
    public string? Location { get; set; }
    public byte[] Body { get; set; } = [];
    /// <summary>The user the request was about (the route's id, or the user registration created): erasure removes the record.</summary>
    public Guid? UserId { get; set; }
}
