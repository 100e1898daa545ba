namespace Users.Api.Dialects;

/// <summary>
/// Endpoint metadata: this dialect writes every error of its route in its own shape.
/// <paramref name="AnswersSharedPath"/>: where two dialects share a path and the request matched neither's
/// method, this one's shape answers.
/// </summary>
public sealed record DialectErrorShape(string Dialect, Func<DialectError, DialectErrorBody> Write, bool AnswersSharedPath = false);
