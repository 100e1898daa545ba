namespace Users.Api.Dialects.Seed004;

// The shapes of seed 004 (PUT /users/{id} with { "user": { … } }), as documented.

public sealed record Seed004UserInput(
    string? FirstName, string? LastName, string? Email, string? Password,
    IReadOnlyList<string>? FeatureFlags, IReadOnlyList<string>? Notifications, string? Locale, string? ExpoPushToken);

public sealed record Seed004Request(Seed004UserInput User);

public sealed record Seed004User(
    Guid Id, string Email, string? FirstName, string? LastName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> FeatureFlags, IReadOnlyList<string> Notifications, string Status, string Locale, DateTimeOffset CreatedAt);

public sealed record Seed004Response(string Status, string Message, Seed004User Data);

/// <summary>401 and 404.</summary>
public sealed record Seed004Error(string Status, string Message);

public sealed record Seed004FieldError(string Path, string Message);

/// <summary>422.</summary>
public sealed record Seed004ValidationError(string Status, string Message, IReadOnlyList<Seed004FieldError> Errors);
