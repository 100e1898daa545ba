using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Users.Api.Webhooks.RegisteringEndpoint;

/// <summary>The body of a registration, as documented; the endpoint reads it field by field to report every failing field.</summary>
public sealed record RegisterEndpointRequest
{
    [Description("Where deliveries are POSTed: https (http only where Webhooks:AllowHttp), an allowed public host.")]
    [MaxLength(RegisterEndpoint.MaxUrlLength)]
    public required string Url { get; init; }

    [Description("Contract type names to deliver (UserRegistered, EmailChanged, …); absent or empty: every type.")]
    public IReadOnlyList<string>? EventTypes { get; init; }

    [Description("What the endpoint is for.")]
    [MaxLength(RegisterEndpoint.MaxDescriptionLength)]
    public string? Description { get; init; }
}
