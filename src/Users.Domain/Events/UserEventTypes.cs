namespace Users.Domain.Events;

/// <summary>
/// Every event type of a user's stream, the one list of them: the store registers these
/// (<c>MartenRegistration</c>) and publishes each as the contract of the same name in <c>Users.Contracts</c>
/// (<c>IntegrationEvents.ContractTypes</c>). A new event goes here; the tests in
/// <c>Auditing/EventTypeCatalogueTests</c> and <c>Auditing/PersonalDataMaskingTests</c> then name every place that
/// still lacks it (contract mapping, masking rule, <c>User</c>, <c>UserProfileProjection</c>, <c>FieldHistory</c>).
/// See docs/architecture.md, "Adding an event".
/// </summary>
public static class UserEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(UserRegistered),
        typeof(UserProfileUpdated),
        typeof(EmailChanged),
        typeof(EmailVerificationRequested),
        typeof(EmailVerified),
        typeof(EmailVerificationResendRequested),
        typeof(PasswordChanged),
        typeof(EmailChangeReverted),
        typeof(SecondaryEmailAdded),
        typeof(SecondaryEmailRemoved),
        typeof(PhoneNumberAdded),
        typeof(PhoneNumberRemoved),
        typeof(SecondaryEmailVerified),
        typeof(SecondaryEmailVerificationResendRequested),
        typeof(PhoneNumberVerificationRequested),
        typeof(PhoneNumberVerified),
        typeof(UserDeactivated),
        typeof(UserReactivated),
        typeof(UserErased),
        typeof(UserFollowed),
        typeof(UserUnfollowed),
    ];
}
