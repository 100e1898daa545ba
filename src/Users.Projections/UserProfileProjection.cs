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
        EmailKey = EmailAddress.Normalize(e.Data.Email),
        CreatedAt = e.Timestamp,
        UpdatedAt = e.Timestamp,
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
        profile.UpdatedAt = e.Timestamp;
    }

    public void Apply(IEvent<EmailChanged> e, UserProfile profile)
    {
        profile.Email = e.Data.NewEmail;
        profile.EmailKey = EmailAddress.Normalize(e.Data.NewEmail);
        profile.EmailVerified = false;
        profile.EmailVerificationSentAt = null;
        profile.UpdatedAt = e.Timestamp;
    }

    public void Apply(IEvent<EmailVerificationRequested> e, UserProfile profile) =>
        profile.EmailVerificationSentAt = e.Timestamp;

    // Changes nothing visible; handled so that the document's version follows the stream.
    public void Apply(IEvent<EmailVerificationResendRequested> e, UserProfile profile) { }

    public void Apply(IEvent<EmailVerified> e, UserProfile profile)
    {
        if (string.Equals(e.Data.Email, profile.Email, StringComparison.OrdinalIgnoreCase))
            profile.EmailVerified = true;
        profile.UpdatedAt = e.Timestamp;
    }

    public void Apply(IEvent<PasswordChanged> e, UserProfile profile) => profile.UpdatedAt = e.Timestamp;

    public void Apply(IEvent<EmailChangeReverted> e, UserProfile profile)
    {
        profile.Email = e.Data.RestoredEmail;
        profile.EmailKey = EmailAddress.Normalize(e.Data.RestoredEmail);
        profile.EmailVerified = true;
        profile.UpdatedAt = e.Timestamp;
    }

    public void Apply(IEvent<UserDeactivated> e, UserProfile profile)
    {
        profile.IsActive = false;
        profile.UpdatedAt = e.Timestamp;
    }

    public void Apply(IEvent<UserReactivated> e, UserProfile profile)
    {
        profile.IsActive = true;
        profile.UpdatedAt = e.Timestamp;
    }
}
