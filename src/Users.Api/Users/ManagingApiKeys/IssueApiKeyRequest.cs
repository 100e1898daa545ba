using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Users.Api.Users.ManagingApiKeys;

/// <summary>
/// The body of an issue request, as documented; <see cref="ApiKeyEndpoints"/> reads it field by field so
/// that every failing field is reported at once.
/// </summary>
public sealed record IssueApiKeyRequest
{
    [Description("What the key is for.")]
    [MinLength(1), MaxLength(ApiKeyEndpoints.MaxNameLength)]
    public required string Name { get; init; }

    [Description("A future instant; absent: the key does not expire.")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [Description("admin or auditor; admins only.")]
    public string? Role { get; init; }
}
