using System.Text.Json.Nodes;

namespace Users.Projections;

/// <summary>The read model of one user, projected inline from the user's stream.</summary>
public sealed class UserProfile
{
    public Guid Id { get; set; }
    /// <summary>The stream version this document reflects (Marten sets it).</summary>
    public long Version { get; set; }
    public string Email { get; set; } = "";
    /// <summary>The normalized email (EmailAddress.Normalize), indexed for look-ups; uniqueness is EmailOwnership's.</summary>
    public string EmailKey { get; set; } = "";
    public bool EmailVerified { get; set; }
    public DateTimeOffset? EmailVerificationSentAt { get; set; }
    public bool IsActive { get; set; } = true;
    public bool IsErased { get; set; }
    /// <summary>The latest account recovery (a revert): bearer tokens issued before it no longer authenticate.</summary>
    public DateTimeOffset? RecoveredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Dictionary<string, JsonNode?> Fields { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Addresses besides the primary one.</summary>
    public List<ContactEmail> Emails { get; set; } = [];
    public List<ContactPhoneNumber> PhoneNumbers { get; set; } = [];
}

public sealed class ContactEmail
{
    public Guid Id { get; set; }
    public string Email { get; set; } = "";
    public bool Verified { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ContactPhoneNumber
{
    public Guid Id { get; set; }
    public string PhoneNumber { get; set; } = "";
    public bool Verified { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
