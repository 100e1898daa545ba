using Marten;
using Users.Api.Auth;
using Users.Api.Http;
using Wolverine;

namespace Users.Api.Users.ErasingUser;

public static class EraseUserEndpoint
{
    public static void MapEraseUser(this IEndpointRouteBuilder app) =>
        app.MapDelete("/api/v1/users/{id:guid}", Handle)
            .RequireProfileAccess(Access.Write)
            .WithName("EraseUser")
            .WithSummary("GDPR erasure: personal data leaves the read model, tokens, kept idempotent responses and message stores, and is masked in the stored events; 204, also when already erased.")
            .Produces(StatusCodes.Status204NoContent);

    private static async Task<IResult> Handle(Guid id, HttpContext http, IMessageBus bus, IDocumentStore store, CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<WriteOutcome>(new EraseUser(id, RequestContext.From(http, "api/v1")), ct);
        if (outcome.Refusal is { } refusal)
            return refusal.ToProblem();

        // Masking rewrites the stream's stored events after UserErased has committed. Repeating the DELETE
        // (idempotent: 204, nothing appended) masks again, which completes an erasure interrupted here.
        await store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id), ct);
        return TypedResults.NoContent();
    }
}
