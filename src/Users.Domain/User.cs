using System.Text.Json.Nodes;
using JasperFx.Events;
using Users.Domain.Decisions;
using Users.Domain.Events;

namespace Users.Domain;

/// <summary>
/// The write-side state of one user, rebuilt from the user's event stream.
/// Only what decisions need lives here; the read model is UserProfile in Users.Projections.
/// </summary>
public sealed partial class User
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Email { get; set; } = "";
    public bool EmailVerified { get; set; }
    public string? PasswordHash { get; set; }
    public Dictionary<string, JsonNode?> Profile { get; set; } = new(StringComparer.Ordinal);
    public bool IsActive { get; set; } = true;
    public bool IsErased { get; set; }
    /// <summary>The address before the latest change, which the revert link restores.</summary>
    public string? PreviousEmail { get; set; }
    /// <summary>When the account was last recovered by a revert: revert tokens of changes before it are void.</summary>
    public DateTimeOffset? LastRecoveredAt { get; set; }
    public HashSet<Guid> Following { get; set; } = [];
    /// <summary>Addresses besides the primary one, in the order they were added.</summary>
    public List<SecondaryEmail> Emails { get; set; } = [];
    public List<PhoneNumberEntry> PhoneNumbers { get; set; } = [];
    /// <summary>When the latest changes of address were appended (at most <see cref="EmailChangeCap.MaxPerHour"/>), oldest first.</summary>
    public List<DateTimeOffset> EmailChangedAt { get; set; } = [];
    /// <summary>The latest verification mails of secondary addresses and texts of codes asked for (at most
    /// <see cref="VerificationSendCap.MaxPerHour"/>), oldest first.</summary>
    public List<VerificationSend> VerificationSends { get; set; } = [];
    /// <summary>The events whose verification mail is recorded (EmailVerificationRequested.CausationEventId).</summary>
    public HashSet<Guid> VerificationRequestsRecorded { get; set; } = [];

    public static User Create(UserRegistered e) => new()
    {
        Id = e.UserId,
        Email = e.Email,
        PasswordHash = e.PasswordHash,
        Profile = new Dictionary<string, JsonNode?>(
            e.Profile.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())), StringComparer.Ordinal),
    };

    public void Apply(UserProfileUpdated e)
    {
        foreach (var (field, change) in e.Changes)
        {
            if (change.To is null)
                Profile.Remove(field);
            else
                Profile[field] = change.To.DeepClone();
        }
    }

    // Takes the envelope for its timestamp: the cap on changes of address counts them by time.
    public void Apply(IEvent<EmailChanged> e)
    {
        PreviousEmail = e.Data.OldEmail;
        Email = e.Data.NewEmail;
        EmailVerified = false;
        EmailChangedAt.Add(e.Timestamp);
        if (EmailChangedAt.Count > EmailChangeCap.MaxPerHour)
            EmailChangedAt.RemoveAt(0);
    }

    public void Apply(EmailVerified e)
    {
        if (string.Equals(e.Email, Email, StringComparison.OrdinalIgnoreCase))
            EmailVerified = true;
    }

    public void Apply(PasswordChanged e) => PasswordHash = e.PasswordHash;

    // Asked for by the notifications worker; remembered so that a re-sent request is recorded once.
    public void Apply(EmailVerificationRequested e)
    {
        if (e.CausationEventId is { } causation)
            VerificationRequestsRecorded.Add(causation);
    }

    public void Apply(EmailVerificationResendRequested e) { }

    public void Apply(EmailChangeReverted e)
    {
        Email = e.RestoredEmail;
        EmailVerified = true;
        PreviousEmail = null;
        LastRecoveredAt = e.RecoveredAt ?? LastRecoveredAt;
    }

    // Takes the envelope for its timestamp: adding an address mails it, so it counts against the cap on sends.
    public void Apply(IEvent<SecondaryEmailAdded> e)
    {
        Emails.Add(new SecondaryEmail(e.Data.EmailId, e.Data.Email));
        CountSend(e);
    }

    public void Apply(SecondaryEmailRemoved e) => Emails.RemoveAll(x => x.Id == e.EmailId);

    public void Apply(IEvent<SecondaryEmailVerificationResendRequested> e) => CountSend(e);

    public void Apply(SecondaryEmailVerified e) =>
        Emails = [.. Emails.Select(x => x.Id == e.EmailId && SameText(x.Email, e.Email) ? x with { Verified = true } : x)];

    public void Apply(PhoneNumberAdded e) => PhoneNumbers.Add(new PhoneNumberEntry(e.PhoneNumberId, e.PhoneNumber));

    public void Apply(IEvent<PhoneNumberVerificationRequested> e) => CountSend(e);

    public void Apply(PhoneNumberVerified e) =>
        PhoneNumbers = [.. PhoneNumbers.Select(x => x.Id == e.PhoneNumberId && x.PhoneNumber == e.PhoneNumber ? x with { Verified = true } : x)];

    public void Apply(PhoneNumberRemoved e) => PhoneNumbers.RemoveAll(x => x.Id == e.PhoneNumberId);

    public void Apply(UserDeactivated e) => IsActive = false;

    public void Apply(UserReactivated e) => IsActive = true;

    public void Apply(UserErased e)
    {
        IsErased = true;
        IsActive = false;
        Email = "";
        PreviousEmail = null;
        PasswordHash = null;
        Profile.Clear();
        Emails.Clear();
        PhoneNumbers.Clear();
    }

    public void Apply(UserFollowed e) => Following.Add(e.FolloweeId);

    public void Apply(UserUnfollowed e) => Following.Remove(e.FolloweeId);

    public JsonNode? Get(string field) => Profile.GetValueOrDefault(field);

    private void CountSend(IEvent e)
    {
        VerificationSends.Add(new VerificationSend(e.Version, e.Timestamp));
        if (VerificationSends.Count > VerificationSendCap.MaxPerHour)
            VerificationSends.RemoveAt(0);
    }

    private static bool SameText(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

public sealed record SecondaryEmail(Guid Id, string Email, bool Verified = false);

public sealed record PhoneNumberEntry(Guid Id, string PhoneNumber, bool Verified = false);

/// <summary>A verification mail or code asked for by the event at <paramref name="Version"/>, appended at <paramref name="At"/>.</summary>
public sealed record VerificationSend(long Version, DateTimeOffset At);
