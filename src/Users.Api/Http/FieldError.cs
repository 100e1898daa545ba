namespace Users.Api.Http;

/// <summary>One failing field, addressed by JSON pointer.</summary>
public sealed record FieldError(string Path, string Message);
