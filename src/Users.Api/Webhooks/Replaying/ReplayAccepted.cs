namespace Users.Api.Webhooks.Replaying;

/// <summary>
/// How many deliveries the replay queued (each event again, in commit order, after what is already queued).
/// At most <see cref="Replay.MaxEvents"/> events per request: when <paramref name="NextFromSequence"/> is set, replay from it for the rest.
/// </summary>
public sealed record ReplayAccepted(Guid EndpointId, int Queued, long? LastSequence, long? NextFromSequence);
