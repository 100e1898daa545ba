namespace Users.Api.Auth;

/// <summary>One fixed window: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }
}
