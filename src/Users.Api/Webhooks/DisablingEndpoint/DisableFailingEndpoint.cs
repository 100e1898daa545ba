namespace Users.Api.Webhooks.DisablingEndpoint;

/// <summary>The dispatcher saw a delivery of this endpoint fail for good: disable it if that made too many in a row.</summary>
public sealed record DisableFailingEndpoint(Guid EndpointId);
