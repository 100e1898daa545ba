namespace Users.Api.Dialects.Seed002;

// The shapes of seed 002 (PATCH /users/{user_id}), as documented.

public sealed record Seed002Request(
    string? Username, string? FirstName, string? LastName, Uri? Picture, string? Company, Uri? Website, string? Country);

public sealed record Seed002User(
    Guid Id, bool Deactivated, string Namespace, string Username, string Email, bool EmailVerified,
    string FirstName, string LastName, string Picture, string Company, string Website, string Country,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ConsentedAt, string? ConsentMethod);

/// <summary>
/// Any error, as an Upsun object: <c>status: "error"</c>, the HTTP <c>code</c>, a <c>title</c>, the <c>message</c>
/// and <c>detail</c> naming each failing field (property path → message).
/// </summary>
public sealed record Seed002Error(string Status, int Code, string Title, string Message, IReadOnlyDictionary<string, string> Detail);
