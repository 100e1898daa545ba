using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Projections;

namespace Users.Api.Users.ErasingUser;

public sealed record EraseUser(Guid UserId, RequestContext Context);

public enum ErasureOutcome { Erased, AlreadyErased, NotFound }

public static class EraseUserHandler
{
    public static async Task<ErasureOutcome> Handle(EraseUser command, IDocumentSession session, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, ct);
        if (stream.Aggregate is not { } user)
            return ErasureOutcome.NotFound;
        var events = Erasure.Decide(user);
        if (events.Count == 0)
            return ErasureOutcome.AlreadyErased;

        session.StampWith(command.Context);
        stream.AppendMany(events);
        // Outstanding verification tokens hold the address: they go in the same transaction.
        session.DeleteWhere<EmailVerificationToken>(t => t.UserId == command.UserId);
        return ErasureOutcome.Erased;
    }
}
