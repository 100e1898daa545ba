using System.Text;
using Marten;
using Users.Api.Http;
using Users.Api.Users.VerifyingContacts;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Projections;
using Users.Projections.Encryption;
using Wolverine.Marten;

namespace Users.Api.Users.ErasingUser;

public sealed record EraseUser(Guid UserId, RequestContext Context);

public static class EraseUserHandler
{
    /// <summary>
    /// Erasing an erased user decides nothing and is still done: what holds the user's data outside the stream is
    /// removed again (something may have landed there since), and the endpoint masks again.
    /// </summary>
    public static (WriteOutcome, Events) Handle(EraseUser command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user, IDocumentSession session)
    {
        if (user is null)
            return (WriteOutcome.NotFound(command.UserId), []);
        var events = Erasure.Decide(user);
        if (events.Count > 0)
            session.StampWith(command.Context);
        ForgetOutsideTheStream(session, command.UserId);
        // The counts of sends to the user's addresses and numbers (hashed, but still theirs).
        foreach (var key in user.Emails.Select(e => RequestContactVerificationHandler.MailKey(e.Email))
                     .Concat(user.PhoneNumbers.Select(p => RequestContactVerificationHandler.SmsKey(p.PhoneNumber))))
            session.Delete<VerificationSendLog>(key);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }

    /// <summary>
    /// Everything outside the user's stream that holds their data, removed in the erasure's transaction: the user's
    /// data key (every personal value sealed in their events becomes unreadable, backups included), tokens
    /// (addresses), kept idempotent responses (the profile), and Wolverine's inbox rows and dead letters (message
    /// bodies, matched by the user id they carry). Messages in the broker's dead-letter queues are the worker's
    /// to drain when it gets UserErased (Users.Notifications/Erasure).
    /// </summary>
    private static void ForgetOutsideTheStream(IDocumentSession session, Guid userId)
    {
        session.Delete<UserDataKey>(userId);
        session.DeleteWhere<EmailVerificationToken>(t => t.UserId == userId);
        session.DeleteWhere<EmailRevertToken>(t => t.UserId == userId);
        session.DeleteWhere<PhoneVerificationCode>(t => t.UserId == userId);
        var byTheUser = $"{userId}|";
        session.DeleteWhere<IdempotentRequest>(r => r.UserId == userId || r.Id.StartsWith(byTheUser));

        // Wolverine keeps its tables in the store's schema (IntegrateWithWolverine in Program). Bodies are JSON
        // envelopes whose user_id is written in this form.
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var id = Encoding.UTF8.GetBytes(userId.ToString());
        session.QueueSqlCommand($"delete from {schema}.wolverine_incoming_envelopes where position(?::bytea in body) > 0", id);
        session.QueueSqlCommand($"delete from {schema}.wolverine_dead_letters where position(?::bytea in body) > 0", id);
    }
}
