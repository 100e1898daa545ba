using System.ComponentModel.DataAnnotations;

namespace Users.Api.Http;

/// <summary>The body that redeems a mailed token, as documented; <see cref="TokenField.ReadAsync"/> reads it.</summary>
public sealed record TokenRequest
{
    [MinLength(1), MaxLength(TokenField.MaxLength)]
    public required string Token { get; init; }
}
