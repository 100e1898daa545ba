using System.Text.Json.Nodes;
using Users.Api.Users;
using Wolverine;
using Wolverine.Marten;

namespace Users.Api.Http;

/// <summary>
/// Sends a write command to its Wolverine handler. A uniqueness race that only the commit could detect
/// (another writer claimed the address or username between the handler's check and its commit) is told as
/// the same 422 the check gives.
/// </summary>
public static class WritePath
{
    /// <summary>
    /// How every handler fetches a user's stream: under its row lock, so concurrent writers to one user wait
    /// for each other (none lost, none retried). Optimistic fetching with retries was measured against it
    /// (docs/performance.md).
    /// </summary>
    public const ConcurrencyStyle UserStreamLoadStyle = ConcurrencyStyle.Exclusive;

    public static async Task<WriteOutcome> InvokeAsync(IMessageBus bus, object command, JsonObject? claimedValues, CancellationToken ct)
    {
        try
        {
            return await bus.InvokeAsync<WriteOutcome>(command, ct);
        }
        catch (Exception e) when (UniqueViolation.ErrorsFor(e, claimedValues ?? []) is { } lost)
        {
            return WriteOutcome.Invalid(lost);
        }
    }
}
