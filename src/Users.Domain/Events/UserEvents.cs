using System.Text.Json.Nodes;

namespace Users.Domain.Events;

// Domain events: internal to the service, stored in the user's Marten stream.
// Profile values travel as JSON nodes keyed by the canonical snake_case field name,
// so one event shape carries every field of the catalogue (see ProfileFields).

public sealed record UserRegistered(
    Guid UserId,
    string Email,
    Dictionary<string, JsonNode?> Profile,
    string? PasswordHash);

/// <summary>Only the fields that changed, each with its value before and after.</summary>
public sealed record UserProfileUpdated(Dictionary<string, FieldChange> Changes);

public sealed record FieldChange(JsonNode? From, JsonNode? To);

public sealed record EmailChanged(string OldEmail, string NewEmail);

/// <summary>A verification mail went to the address. <paramref name="CausationEventId"/>: the event that asked for it
/// (absent on events recorded before it was kept), so a re-sent request is recorded once.</summary>
public sealed record EmailVerificationRequested(string Email, DateTimeOffset ExpiresAt, Guid? CausationEventId = null);

public sealed record EmailVerified(string Email);

/// <summary>The user asked for another verification mail; the notifications worker sends it.</summary>
public sealed record EmailVerificationResendRequested(string Email);

/// <summary>Holds the new password's salted hash only.</summary>
public sealed record PasswordChanged(string PasswordHash);

/// <summary>
/// The previous owner of an address undid a change of email from the notice mailed to them: an account recovery.
/// Bearer tokens issued before <paramref name="RecoveredAt"/> no longer authenticate the user (absent on events
/// recorded before recoveries revoked sessions).
/// </summary>
public sealed record EmailChangeReverted(string RevertedEmail, string RestoredEmail, DateTimeOffset? RecoveredAt = null);

/// <summary>An address added to the user's further emails (unique across all users, like the primary one).</summary>
public sealed record SecondaryEmailAdded(Guid EmailId, string Email);

public sealed record SecondaryEmailRemoved(Guid EmailId, string Email);

/// <summary>A phone number (E.164) added to the user's phone numbers.</summary>
public sealed record PhoneNumberAdded(Guid PhoneNumberId, string PhoneNumber);

public sealed record PhoneNumberRemoved(Guid PhoneNumberId, string PhoneNumber);

public sealed record UserDeactivated(string? Reason = null);

public sealed record UserReactivated;

/// <summary>GDPR erasure: personal data is gone from the read model and masked in stored events.</summary>
public sealed record UserErased(IReadOnlyList<string> ErasedFields);

/// <summary>Appended to the follower's stream.</summary>
public sealed record UserFollowed(Guid FolloweeId);

public sealed record UserUnfollowed(Guid FolloweeId);
