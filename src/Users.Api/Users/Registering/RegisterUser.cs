using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Users.Domain.Rules;
using Users.Projections;

namespace Users.Api.Users.Registering;

public sealed record RegisterUser(Guid UserId, JsonObject Values, RequestContext Context);

public enum RegistrationOutcome { Registered, EmailTaken }

public static class RegisterUserHandler
{
    public static async Task<RegistrationOutcome> Handle(RegisterUser command, IDocumentSession session,
        IPasswordHasher<User> hasher, CancellationToken ct)
    {
        var email = command.Values["email"]!.GetValue<string>();
        var emailKey = EmailAddress.Normalize(email);
        // The unique index settles races; this check gives the common case its clear 422.
        if (await session.Query<UserProfile>().AnyAsync(x => x.EmailKey == emailKey, ct))
            return RegistrationOutcome.EmailTaken;

        var password = command.Values["password"]?.GetValue<string>();
        var passwordHash = password is null ? null : hasher.HashPassword(new User { Id = command.UserId }, password);
        var values = command.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        session.StampWith(command.Context);
        session.Events.StartStream<User>(command.UserId, Registration.Decide(command.UserId, email, values, passwordHash));
        return RegistrationOutcome.Registered;
    }
}
