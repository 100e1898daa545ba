namespace Users.Api.Auth;

/// <summary>The limits in force, as configured (resolvable from the container).</summary>
public sealed record RateLimitSettings(RateLimit General, RateLimit VerificationResend);
