using Users.Api.Http;

namespace Users.Api.Dialects;

/// <summary>An error as the canonical API states it (problem details), for a dialect to say in its own words.</summary>
public sealed record DialectError(int Status, string Title, string? Detail, IReadOnlyList<FieldError> Errors)
{
    /// <summary>The sentence for a client: the detail when there is one, else the title.</summary>
    public string Message => Detail ?? Title;

    /// <summary>A JSON pointer as a property path ("/emails/0/email" → "emails.0.email"), as seeds 002 and 004 name fields.</summary>
    public static string PropertyPath(string pointer) => pointer.TrimStart('/').Replace('/', '.');
}
