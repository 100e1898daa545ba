using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Identity;
using Users.Api.Http;
using Users.Domain;
using Users.Domain.Decisions;

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

public enum UpdateStatus { Updated, Unchanged, NotFound, Stale, Taken }

public sealed record UpdateOutcome(UpdateStatus Status, long Version = 0, IReadOnlyList<FieldError>? Errors = null);

public static class UpdateProfileHandler
{
    public static async Task<UpdateOutcome> Handle(UpdateProfile command, IDocumentSession session,
        IPasswordHasher<User> hasher, CancellationToken ct)
    {
        // The stream's row lock serializes concurrent writers to one user: none is lost, none retried.
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, ct);
        var user = stream.Aggregate;
        // An erased user is gone: nothing more is recorded about them.
        if (user is null || user.IsErased)
            return new UpdateOutcome(UpdateStatus.NotFound);
        var version = stream.CurrentVersion ?? 0;
        if (command.ExpectedVersion is { } expected && expected != version)
            return new UpdateOutcome(UpdateStatus.Stale, version);

        var taken = await TakenValues.FindAsync(session, command.UserId, command.Patch, ct);
        if (taken.Count > 0)
            return new UpdateOutcome(UpdateStatus.Taken, version, taken);

        var events = ProfileChange.Decide(user, new ProfilePatch(
            command.Patch.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            NewPasswordHash(command.Patch, user, hasher)));
        if (events.Count == 0)
            return new UpdateOutcome(UpdateStatus.Unchanged, version);

        session.StampWith(command.Context);
        stream.AppendMany(events);
        return new UpdateOutcome(UpdateStatus.Updated, version + events.Count);
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
