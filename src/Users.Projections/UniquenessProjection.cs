using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Users.Domain.Events;
using Users.Domain.Rules;

namespace Users.Projections;

/// <summary>
/// Uniqueness of verified addresses and usernames (not JWT claims): keeps <see cref="EmailOwnership"/> and
/// <see cref="UsernameOwnership"/> in step with the events, inline, in the
/// transaction that appends them. A claim is an Insert (never an upsert): when two users race for one
/// address or username, the second insert fails and the second user's events roll back with it.
/// Events are applied in order, so a release (delete) always precedes a re-claim (insert) in one commit.
/// An address is claimed when it is verified (or restored as verified by a revert), never merely by being
/// typed in: an unverified address blocks nobody, so nobody can squat another's address (docs/auth.md).
/// A secondary address follows the same rule: claimed once verified, released when removed. A release deletes only the user's own
/// claim: the same address may be held, verified, by another account.
/// </summary>
public sealed partial class UniquenessProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        var userId = e.StreamId;
        switch (e.Data)
        {
            case UserRegistered d:
                if (Username(d.Profile.GetValueOrDefault("username")) is { } name)
                    operations.Insert(new UsernameOwnership { Id = name, UserId = userId });
                break;
            case UserProfileUpdated d when d.Changes.TryGetValue("username", out var change):
                if (Username(change.From) is { } old)
                    operations.Delete<UsernameOwnership>(old);
                if (Username(change.To) is { } next)
                    operations.Insert(new UsernameOwnership { Id = next, UserId = userId });
                break;
            case EmailVerified d:
                ClaimEmail(operations, d.Email, userId);
                break;
            case EmailChanged d:
                ReleaseEmail(operations, d.OldEmail, userId);
                break;
            case EmailChangeReverted d:
                ReleaseEmail(operations, d.RevertedEmail, userId);
                ClaimEmail(operations, d.RestoredEmail, userId);
                break;
            case SecondaryEmailVerified d:
                ClaimEmail(operations, d.Email, userId);
                break;
            case SecondaryEmailRemoved d:
                ReleaseEmail(operations, d.Email, userId);
                break;
            case UserErased:
                // An erased user holds nothing: their addresses and username are free for others.
                operations.DeleteWhere<EmailOwnership>(x => x.UserId == userId);
                operations.DeleteWhere<UsernameOwnership>(x => x.UserId == userId);
                break;
        }
        return ValueTask.CompletedTask;
    }

    // After an erasure the stored events carry PersonalData.Erased instead of values: those claim nothing,
    // so a rebuild does not see every erased user claim the same "address".
    // The user's own earlier claim (e.g. stored before claims waited for verification) is replaced, not collided with.
    private static void ClaimEmail(IDocumentOperations operations, string email, Guid userId)
    {
        if (email == PersonalData.Erased)
            return;
        ReleaseEmail(operations, email, userId);
        operations.Insert(new EmailOwnership { Id = EmailAddress.Normalize(email), UserId = userId });
    }

    private static void ReleaseEmail(IDocumentOperations operations, string email, Guid userId)
    {
        var key = EmailAddress.Normalize(email);
        operations.DeleteWhere<EmailOwnership>(x => x.Id == key && x.UserId == userId);
    }

    private static string? Username(System.Text.Json.Nodes.JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is var name && name != PersonalData.Erased
            ? name.ToLowerInvariant()
            : null;
}
