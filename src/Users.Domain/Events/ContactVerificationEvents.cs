namespace Users.Domain.Events;

// Verifying the further addresses (secondary emails, phone numbers). Their own events rather than EmailVerified
// with an optional id: EmailVerified keeps meaning "the primary address is verified", so no existing consumer
// mistakes a secondary address for the account's address.

/// <summary>The user proved the secondary address with the token mailed to it; the address is now claimed (unique).</summary>
public sealed record SecondaryEmailVerified(Guid EmailId, string Email);

/// <summary>The user asked for another verification mail for a secondary address; the notifications worker sends it.</summary>
public sealed record SecondaryEmailVerificationResendRequested(Guid EmailId, string Email);

/// <summary>The user asked for a one-time code for a phone number; the notifications worker texts it.</summary>
public sealed record PhoneNumberVerificationRequested(Guid PhoneNumberId, string PhoneNumber);

/// <summary>The user typed the code texted to the number.</summary>
public sealed record PhoneNumberVerified(Guid PhoneNumberId, string PhoneNumber);
