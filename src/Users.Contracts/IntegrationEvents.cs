using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

// Public, versioned integration events. Downstream services (MassTransit or any AMQP client) bind to
// the fanout exchange "Users.Contracts:<TypeName>". Documented in docs/events.md; change only additively.
namespace Users.Contracts;

/// <summary>What every integration event carries.</summary>
public abstract record UserEvent
{
    /// <summary>Unique per event; consumers deduplicate on it.</summary>
    [JsonPropertyName("event_id")] public Guid EventId { get; init; }
    [JsonPropertyName("user_id")] public Guid UserId { get; init; }
    /// <summary>The user's stream version after this event: gapless and increasing per user.</summary>
    [JsonPropertyName("version")] public long Version { get; init; }
    [JsonPropertyName("occurred_at")] public DateTimeOffset OccurredAt { get; init; }
    /// <summary>A user id, "api-key:&lt;id&gt;" or "system".</summary>
    [JsonPropertyName("actor")] public string Actor { get; init; } = "system";
    [JsonPropertyName("correlation_id")] public string? CorrelationId { get; init; }
}

public sealed record UserRegistered : UserEvent
{
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

public sealed record FieldChange
{
    [JsonPropertyName("from")] public JsonNode? From { get; init; }
    [JsonPropertyName("to")] public JsonNode? To { get; init; }
}

public sealed record UserProfileUpdated : UserEvent
{
    /// <summary>Field name → {from, to}; secrets are never included.</summary>
    [JsonPropertyName("changes")] public Dictionary<string, FieldChange> Changes { get; init; } = new();
}

public sealed record EmailChanged : UserEvent
{
    [JsonPropertyName("old_email")] public string OldEmail { get; init; } = "";
    [JsonPropertyName("new_email")] public string NewEmail { get; init; } = "";
}

public sealed record EmailVerificationRequested : UserEvent
{
    [JsonPropertyName("email")] public string Email { get; init; } = "";
    [JsonPropertyName("expires_at")] public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>The user asked for another verification mail for their current address.</summary>
public sealed record EmailVerificationResendRequested : UserEvent
{
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

public sealed record EmailVerified : UserEvent
{
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

/// <summary>Tells that the password changed; never carries the hash.</summary>
public sealed record PasswordChanged : UserEvent;

public sealed record EmailChangeReverted : UserEvent
{
    [JsonPropertyName("reverted_email")] public string RevertedEmail { get; init; } = "";
    [JsonPropertyName("restored_email")] public string RestoredEmail { get; init; } = "";
}

/// <summary>An address was added to the user's further emails (not the primary one).</summary>
public sealed record SecondaryEmailAdded : UserEvent
{
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

public sealed record SecondaryEmailRemoved : UserEvent
{
    [JsonPropertyName("email_id")] public Guid EmailId { get; init; }
    [JsonPropertyName("email")] public string Email { get; init; } = "";
}

public sealed record PhoneNumberAdded : UserEvent
{
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    /// <summary>E.164, e.g. "+14155552671".</summary>
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}

public sealed record PhoneNumberRemoved : UserEvent
{
    [JsonPropertyName("phone_number_id")] public Guid PhoneNumberId { get; init; }
    [JsonPropertyName("phone_number")] public string PhoneNumber { get; init; } = "";
}

public sealed record UserDeactivated : UserEvent;

public sealed record UserReactivated : UserEvent;

/// <summary>The user's personal data was erased; downstream services must erase theirs.</summary>
public sealed record UserErased : UserEvent
{
    [JsonPropertyName("erased_fields")] public List<string> ErasedFields { get; init; } = [];
}

public sealed record UserFollowed : UserEvent
{
    [JsonPropertyName("followee_id")] public Guid FolloweeId { get; init; }
}

public sealed record UserUnfollowed : UserEvent
{
    [JsonPropertyName("followee_id")] public Guid FolloweeId { get; init; }
}
