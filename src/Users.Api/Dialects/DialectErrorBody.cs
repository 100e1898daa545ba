namespace Users.Api.Dialects;

/// <summary>What a dialect answers for an error: its status (a seed may document another) and its body.</summary>
public sealed record DialectErrorBody(int Status, object Body);
