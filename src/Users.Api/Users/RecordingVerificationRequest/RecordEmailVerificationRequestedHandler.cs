using JasperFx.Core;
using Marten;
using Npgsql;
using Users.Api.Http;
using Users.Commands;
using Users.Domain;
using Users.Domain.Decisions;
using Users.ServiceDefaults;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;
using AppendedEvents = Wolverine.Marten.Events;

namespace Users.Api.Users.RecordingVerificationRequest;

/// <summary>
/// The notifications worker's request to record a verification mail it sent (it arrives on
/// <see cref="ApiCommandQueue.Name"/>, see Messaging/WorkerCommands.cs). Wolverine loads the user, appends what the
/// decider returns and commits it with the outbox rows of its integration event. An unknown user stops the
/// handler after a log line (Wolverine's default for a missing aggregate): nothing appended, nothing retried.
/// </summary>
public static class RecordEmailVerificationRequestedHandler
{
    // A deadlock or a dropped connection is retried; anything else goes to Wolverine's dead letters, never loops.
    public static void Configure(HandlerChain chain) =>
        chain.OnException(IsTransient).RetryWithCooldown(100.Milliseconds(), 500.Milliseconds(), 2.Seconds(), 5.Seconds());

    // Marten wraps the driver's exception; look inside.
    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected } => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    // The worker's write, stamped as the worker used to stamp it: the system, the causing request's correlation
    // id, the causing event, and the consume's trace (Wolverine continues the worker's send span). Its provenance
    // is the causing request's, read from the causing event: the mail answers that request, and "from where"
    // should lead to it rather than to the worker (the actor and origin already say the worker appended it).
    public static async Task Before(RecordEmailVerificationRequested command, IDocumentSession session, CancellationToken ct)
    {
        session.Stamp(command.CorrelationId, command.CausationEventId.ToString(), "system", "notifications");
        var cause = await session.Events.LoadAsync(command.CausationEventId, ct);
        session.SetHeader(Provenance.Header, (cause is null ? null : Provenance.Of(cause)) ?? Provenance.OfTheSystem);
    }

    // Locked like the API's other writers (FetchForExclusiveWriting), so it waits its turn behind an update of the
    // same user instead of racing it; two copies of one command run one after the other, the second appends nothing.
    public static AppendedEvents Handle(RecordEmailVerificationRequested command, [WriteAggregate(LoadStyle = WritePath.UserStreamLoadStyle)] User user) =>
        new(VerificationRequestRecording.Decide(user, command));
}
