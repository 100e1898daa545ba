namespace Users.Api.Webhooks;

/// <summary>The delivery's host resolved to an address the outbound policy forbids: nothing was sent.</summary>
public sealed class WebhookTargetRefused(string message) : Exception(message);
