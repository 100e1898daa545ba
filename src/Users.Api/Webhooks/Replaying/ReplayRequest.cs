using System.ComponentModel;

namespace Users.Api.Webhooks.Replaying;

/// <summary>Where a replay starts: exactly one of <c>from_time</c>, <c>from_sequence</c>, or <c>user_id</c> with <c>from_version</c>.</summary>
public sealed record ReplayRequest
{
    [Description("Every event committed at or after this instant.")]
    public DateTimeOffset? FromTime { get; init; }

    [Description("Every event from this global sequence number on (the event feed's sequence).")]
    public long? FromSequence { get; init; }

    [Description("One user's events only; with from_version, from that stream version on.")]
    public Guid? UserId { get; init; }

    [Description("The user's stream version to start from (needs user_id).")]
    public long? FromVersion { get; init; }
}
