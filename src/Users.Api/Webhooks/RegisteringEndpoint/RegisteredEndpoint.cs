namespace Users.Api.Webhooks.RegisteringEndpoint;

/// <summary>A registered endpoint and, this once, its signing secret (Cache-Control: no-store).</summary>
public sealed record RegisteredEndpoint(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, string CreatedBy, string Secret);
