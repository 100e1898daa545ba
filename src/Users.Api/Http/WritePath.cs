using System.Text.Json.Nodes;
using Users.Api.Users;
using Wolverine;

namespace Users.Api.Http;

/// <summary>
/// Sends a write command to its Wolverine handler. A uniqueness race that only the commit could detect
/// (another writer claimed the address or username between the handler's check and its commit) is told as
/// the same 422 the check gives.
/// </summary>
public static class WritePath
{
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
