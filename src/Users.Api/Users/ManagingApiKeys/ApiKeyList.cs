namespace Users.Api.Users.ManagingApiKeys;

/// <summary>A user's API keys, oldest first.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Items);
