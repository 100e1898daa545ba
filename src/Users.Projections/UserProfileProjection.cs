using JasperFx.Events;
using Marten.Events.Aggregation;
using Users.Domain.Events;
using Users.Domain.Rules;

namespace Users.Projections;

public sealed partial class UserProfileProjection : SingleStreamProjection<UserProfile, Guid>
{
    public static UserProfile Create(IEvent<UserRegistered> e) => new()
    {
        Id = e.Data.UserId,
        Email = e.Data.Email,
        EmailKey = EmailKeyOf(e.Data.Email, e.Data.UserId),
        CreatedAt = Stored(e.Timestamp),
        UpdatedAt = Stored(e.Timestamp),
        Fields = e.Data.Profile.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal),
    };

    public void Apply(IEvent<UserProfileUpdated> e, UserProfile profile)
    {
        foreach (var (field, change) in e.Data.Changes)
        {
            if (change.To is null)
                profile.Fields.Remove(field);
            else
                profile.Fields[field] = change.To.DeepClone();
        }
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<EmailChanged> e, UserProfile profile)
    {
        profile.Email = e.Data.NewEmail;
        profile.EmailKey = EmailKeyOf(e.Data.NewEmail, profile.Id);
        profile.EmailVerified = false;
        profile.EmailVerificationSentAt = null;
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<EmailVerificationRequested> e, UserProfile profile) =>
        profile.EmailVerificationSentAt = Stored(e.Timestamp);

    // Changes nothing visible; handled so that the document's version follows the stream.
    public void Apply(IEvent<EmailVerificationResendRequested> e, UserProfile profile) { }

    public void Apply(IEvent<EmailVerified> e, UserProfile profile)
    {
        if (string.Equals(e.Data.Email, profile.Email, StringComparison.OrdinalIgnoreCase))
            profile.EmailVerified = true;
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<PasswordChanged> e, UserProfile profile) => profile.UpdatedAt = Stored(e.Timestamp);

    public void Apply(IEvent<EmailChangeReverted> e, UserProfile profile)
    {
        profile.Email = e.Data.RestoredEmail;
        profile.EmailKey = EmailKeyOf(e.Data.RestoredEmail, profile.Id);
        profile.EmailVerified = true;
        profile.RecoveredAt = e.Data.RecoveredAt ?? profile.RecoveredAt;
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<SecondaryEmailAdded> e, UserProfile profile)
    {
        profile.Emails.Add(new ContactEmail { Id = e.Data.EmailId, Email = e.Data.Email, CreatedAt = Stored(e.Timestamp), UpdatedAt = Stored(e.Timestamp) });
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<SecondaryEmailRemoved> e, UserProfile profile)
    {
        profile.Emails.RemoveAll(x => x.Id == e.Data.EmailId);
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<PhoneNumberAdded> e, UserProfile profile)
    {
        profile.PhoneNumbers.Add(new ContactPhoneNumber
        {
            Id = e.Data.PhoneNumberId,
            PhoneNumber = e.Data.PhoneNumber,
            CreatedAt = Stored(e.Timestamp),
            UpdatedAt = Stored(e.Timestamp),
        });
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<PhoneNumberRemoved> e, UserProfile profile)
    {
        profile.PhoneNumbers.RemoveAll(x => x.Id == e.Data.PhoneNumberId);
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    // A request changes nothing visible; handled so that the document's version follows the stream.
    public void Apply(IEvent<SecondaryEmailVerificationResendRequested> e, UserProfile profile) { }

    public void Apply(IEvent<PhoneNumberVerificationRequested> e, UserProfile profile) { }

    public void Apply(IEvent<SecondaryEmailVerified> e, UserProfile profile)
    {
        foreach (var email in profile.Emails.Where(x => x.Id == e.Data.EmailId
                                                        && string.Equals(x.Email, e.Data.Email, StringComparison.OrdinalIgnoreCase)))
        {
            email.Verified = true;
            email.UpdatedAt = Stored(e.Timestamp);
        }
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<PhoneNumberVerified> e, UserProfile profile)
    {
        foreach (var phone in profile.PhoneNumbers.Where(x => x.Id == e.Data.PhoneNumberId && x.PhoneNumber == e.Data.PhoneNumber))
        {
            phone.Verified = true;
            phone.UpdatedAt = Stored(e.Timestamp);
        }
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<UserDeactivated> e, UserProfile profile)
    {
        profile.IsActive = false;
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    public void Apply(IEvent<UserReactivated> e, UserProfile profile)
    {
        profile.IsActive = true;
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    /// <summary>
    /// Personal data leaves the read model; id, version, timestamps and the erasure stay. The email key becomes
    /// a per-user placeholder (not an address, so never taken by a registration) that frees the address.
    /// </summary>
    public void Apply(IEvent<UserErased> e, UserProfile profile)
    {
        profile.IsErased = true;
        profile.IsActive = false;
        profile.Email = "";
        profile.EmailKey = ErasedEmailKey(profile.Id);
        profile.EmailVerified = false;
        profile.EmailVerificationSentAt = null;
        profile.Fields.Clear();
        profile.Emails.Clear();
        profile.PhoneNumbers.Clear();
        profile.UpdatedAt = Stored(e.Timestamp);
    }

    /// <summary>
    /// The time as PostgreSQL keeps it (microseconds): the inline projection sees the append's in-memory time,
    /// a rebuild or a time-travel read sees the stored one, and both must give the same document.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, time.Offset);

    public static string ErasedEmailKey(Guid id) => $"erased:{id}";

    // A rebuild replays masked events, and may store a half-replayed erased user at a batch boundary:
    // a masked address must not make every erased user collide on the unique email index.
    private static string EmailKeyOf(string email, Guid id) =>
        email == PersonalData.Erased ? ErasedEmailKey(id) : EmailAddress.Normalize(email);
}
