using JasperFx.Events;
using Contracts = Users.Contracts;
using DomainEvents = Users.Domain.Events;

namespace Users.Projections;

/// <summary>
/// Maps a domain event to its public integration event. Secrets never cross. The API's outbox listener writes
/// these for every append; the notifications worker uses the same mapping to catch up from the event store.
/// </summary>
public static class IntegrationEvents
{
    public static Contracts.UserEvent? From(IEvent e) => e.Data switch
    {
        DomainEvents.UserRegistered d => Stamp(e, new Contracts.UserRegistered { Email = d.Email }),
        DomainEvents.UserProfileUpdated d => Stamp(e, new Contracts.UserProfileUpdated
        {
            Changes = d.Changes.ToDictionary(kv => kv.Key,
                kv => new Contracts.FieldChange { From = kv.Value.From?.DeepClone(), To = kv.Value.To?.DeepClone() }),
        }),
        DomainEvents.EmailChanged d => Stamp(e, new Contracts.EmailChanged { OldEmail = d.OldEmail, NewEmail = d.NewEmail }),
        DomainEvents.EmailVerificationRequested d => Stamp(e, new Contracts.EmailVerificationRequested { Email = d.Email, ExpiresAt = d.ExpiresAt }),
        DomainEvents.EmailVerificationResendRequested d => Stamp(e, new Contracts.EmailVerificationResendRequested { Email = d.Email }),
        DomainEvents.EmailVerified d => Stamp(e, new Contracts.EmailVerified { Email = d.Email }),
        DomainEvents.PasswordChanged => Stamp(e, new Contracts.PasswordChanged()),
        DomainEvents.EmailChangeReverted d => Stamp(e, new Contracts.EmailChangeReverted { RevertedEmail = d.RevertedEmail, RestoredEmail = d.RestoredEmail }),
        DomainEvents.SecondaryEmailAdded d => Stamp(e, new Contracts.SecondaryEmailAdded { EmailId = d.EmailId, Email = d.Email }),
        DomainEvents.SecondaryEmailRemoved d => Stamp(e, new Contracts.SecondaryEmailRemoved { EmailId = d.EmailId, Email = d.Email }),
        DomainEvents.PhoneNumberAdded d => Stamp(e, new Contracts.PhoneNumberAdded { PhoneNumberId = d.PhoneNumberId, PhoneNumber = d.PhoneNumber }),
        DomainEvents.PhoneNumberRemoved d => Stamp(e, new Contracts.PhoneNumberRemoved { PhoneNumberId = d.PhoneNumberId, PhoneNumber = d.PhoneNumber }),
        DomainEvents.SecondaryEmailVerified d => Stamp(e, new Contracts.SecondaryEmailVerified { EmailId = d.EmailId, Email = d.Email }),
        DomainEvents.SecondaryEmailVerificationResendRequested d =>
            Stamp(e, new Contracts.SecondaryEmailVerificationResendRequested { EmailId = d.EmailId, Email = d.Email }),
        DomainEvents.PhoneNumberVerificationRequested d =>
            Stamp(e, new Contracts.PhoneNumberVerificationRequested { PhoneNumberId = d.PhoneNumberId, PhoneNumber = d.PhoneNumber }),
        DomainEvents.PhoneNumberVerified d => Stamp(e, new Contracts.PhoneNumberVerified { PhoneNumberId = d.PhoneNumberId, PhoneNumber = d.PhoneNumber }),
        DomainEvents.UserDeactivated => Stamp(e, new Contracts.UserDeactivated()),
        DomainEvents.UserReactivated => Stamp(e, new Contracts.UserReactivated()),
        DomainEvents.UserErased d => Stamp(e, new Contracts.UserErased { ErasedFields = d.ErasedFields.ToList() }),
        DomainEvents.UserFollowed d => Stamp(e, new Contracts.UserFollowed { FolloweeId = d.FolloweeId }),
        DomainEvents.UserUnfollowed d => Stamp(e, new Contracts.UserUnfollowed { FolloweeId = d.FolloweeId }),
        _ => null,
    };

    private static T Stamp<T>(IEvent e, T message) where T : Contracts.UserEvent => message with
    {
        EventId = e.Id,
        UserId = e.StreamId,
        Version = e.Version,
        OccurredAt = e.Timestamp,
        Actor = string.IsNullOrEmpty(e.UserName) ? "system" : e.UserName,
        CorrelationId = e.CorrelationId,
    };

    /// <summary>Every published contract type, each on its own MassTransit-style exchange: for each domain event
    /// type, the contract of the same name (a missing one stops start-up here).</summary>
    public static readonly Type[] ContractTypes =
    [
        .. DomainEvents.UserEventTypes.All.Select(t => typeof(Contracts.UserEvent).Assembly.GetType(
            $"{typeof(Contracts.UserEvent).Namespace}.{t.Name}", throwOnError: true)!),
    ];

    public static string ExchangeName(Type contract) => $"{contract.Namespace}:{contract.Name}";
}
