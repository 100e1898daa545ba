using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;

namespace Users.Api.Users.Registering;

/// <param name="TellTakenEmails">false for an anonymous sign-up, which must not learn whether an address has an account.</param>
public sealed record RegisterUser(Guid UserId, JsonObject Values, RequestContext Context, bool TellTakenEmails = true)
{
    // Logged by Wolverine on failure: name the fields, never their values (the password is among them).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"UserId = {UserId}, Fields = [{string.Join(", ", Values.Select(kv => kv.Key))}]");
        return true;
    }
}

public static class RegisterUserHandler
{
    // A new stream: nothing to fetch. Its first version is 1, so its integration events go to the outbox
    // in the same transaction as every other append.
    public static async Task<WriteOutcome> Handle(RegisterUser command, IDocumentSession session,
        IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var taken = await TakenValues.FindAsync(session, command.UserId, command.Values, command.TellTakenEmails, ct);
        if (taken.Count > 0)
            return WriteOutcome.Invalid(taken);

        var email = command.Values["email"]!.GetValue<string>();
        var password = command.Values["password"]?.GetValue<string>();
        var passwordHash = password is null ? null : hasher.HashPassword(new User { Id = command.UserId }, password);
        var values = command.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        session.StampWith(command.Context);
        var events = Registration.Decide(command.UserId, email, values, passwordHash).ToArray();
        session.Events.StartStream<User>(command.UserId, events);
        return WriteOutcome.Done(events.Length);
    }
}
