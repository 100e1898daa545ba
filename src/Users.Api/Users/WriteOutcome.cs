using Users.Api.Http;

namespace Users.Api.Users;

/// <summary>
/// What a write decided, for an endpoint or a dialect to render: the stream's version after it, or why nothing
/// was written. Handlers return it beside their events; Wolverine appends the events and commits.
/// </summary>
public sealed record WriteOutcome(long Version, WriteRefusal? Refusal = null)
{
    public static WriteOutcome Done(long version) => new(version);
    public static WriteOutcome NotFound(Guid id) => new(0, WriteRefusal.NotFound(id));
    public static WriteOutcome Refused(WriteRefusal refusal, long version = 0) => new(version, refusal);
    public static WriteOutcome Invalid(IReadOnlyList<FieldError> errors) => new(0, WriteRefusal.Invalid(errors));
}
