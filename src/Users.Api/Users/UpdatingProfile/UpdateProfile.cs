using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;
using Wolverine.Marten;

namespace Users.Api.Users.UpdatingProfile;

public sealed record UpdateProfile(Guid UserId, JsonObject Patch, long? ExpectedVersion, RequestContext Context)
{
    // Logged by Wolverine on failure: name the fields, never their values (the password is among them).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"UserId = {UserId}, Fields = [{string.Join(", ", Patch.Select(kv => kv.Key))}], ExpectedVersion = {ExpectedVersion}");
        return true;
    }
}

public static class UpdateProfileHandler
{
    // Wolverine fetches the user's stream under its row lock (concurrent writers to one user wait for each
    // other: none is lost, none retried), appends the returned events and commits them, with their integration
    // events in the outbox, in one transaction.
    public static async Task<(WriteOutcome, Events)> Handle(UpdateProfile command,
        [WriteAggregate(Required = false, LoadStyle = WritePath.UserStreamLoadStyle)] User? user,
        IDocumentSession session, IPasswordHasher<User> hasher, EmailChangeCap cap, TimeProvider clock, CancellationToken ct)
    {
        // An erased user is gone: nothing more is recorded about them.
        if (user is null || user.IsErased)
            return (WriteOutcome.NotFound(command.UserId), []);
        if (command.ExpectedVersion is { } expected && expected != user.Version)
            return (WriteOutcome.Refused(WriteRefusal.Stale(user.Version), user.Version), []);

        var taken = await TakenValues.FindAsync(session, command.UserId, command.Patch, tellTakenEmails: true, ct);
        if (taken.Count > 0)
            return (WriteOutcome.Invalid(taken), []);

        var (events, refused) = ProfileChange.Decide(user, new ProfilePatch(
            command.Patch.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            NewPasswordHash(command.Patch, user, hasher)), cap, clock.GetUtcNow());
        if (refused is not null)
            return (WriteOutcome.Refused(WriteRefusal.TooManyEmailChanges(refused), user.Version), []);
        if (events.Count > 0)
            session.StampWith(command.Context);
        return (WriteOutcome.Done(user.Version + events.Count), [.. events]);
    }

    // Hashing is salted, so "same password" is decided by verifying against the stored hash.
    private static string? NewPasswordHash(JsonObject patch, User user, IPasswordHasher<User> hasher)
    {
        if (patch["password"]?.GetValue<string>() is not { } password)
            return null;
        if (user.PasswordHash is not null &&
            hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
            return null;
        return hasher.HashPassword(user, password);
    }
}
