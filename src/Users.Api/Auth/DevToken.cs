namespace Users.Api.Auth;

/// <summary>A bearer token minted by <c>POST /dev/tokens</c> (Development and Testing only).</summary>
public sealed record DevToken(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);
