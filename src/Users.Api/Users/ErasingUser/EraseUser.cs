using Marten;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Projections;
using Wolverine.Marten;

namespace Users.Api.Users.ErasingUser;

public sealed record EraseUser(Guid UserId, RequestContext Context);

public static class EraseUserHandler
{
    /// <summary>Erasing an erased user decides nothing and is still done (the endpoint masks again).</summary>
    public static (WriteOutcome, Events) Handle(EraseUser command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user, IDocumentSession session)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);
        var events = Erasure.Decide(user);
        if (events.Count > 0)
        {
            session.StampWith(command.Context);
            // Outstanding verification tokens hold the address: they go in the same transaction.
            session.DeleteWhere<EmailVerificationToken>(t => t.UserId == command.UserId);
        }
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }
}
