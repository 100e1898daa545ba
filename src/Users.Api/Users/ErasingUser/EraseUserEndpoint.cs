using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Users.Domain.Events;
using Wolverine;

namespace Users.Api.Users.ErasingUser;

public static class EraseUserEndpoint
{
    public static void MapEraseUser(this IEndpointRouteBuilder app) =>
        app.MapDelete("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Write)
            .WithName("EraseUser")
            .WithSummary("GDPR erasure: the user's data key is deleted (their sealed event values become unreadable), personal data leaves the read model, tokens, kept idempotent responses and message stores, and events stored before encryption are masked; 204, also when already erased.")
            .Produces(StatusCodes.Status204NoContent);

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IDocumentStore store, CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<WriteOutcome>(new EraseUser(id, RequestContext.From(http, "api/v1")), ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();

        // The key is gone: sealed values now read as "[erased]" and their events are left byte for byte as stored.
        // Only events stored in plaintext (before encryption, or before `encrypt-events` ran) still hold a value,
        // and masking rewrites those, after UserErased has committed. Repeating the DELETE (idempotent: 204,
        // nothing appended) masks again, which completes an erasure interrupted here.
        await store.Advanced.ApplyEventDataMasking(
            x => x.IncludeStream(id, e => PersonalData.Holds(e.Data, value => value != PersonalData.Erased)), ct);
        return TypedResults.NoContent();
    }
}
