using System.Text.Json.Nodes;
using Users.Api.Http;

namespace Users.Api.Dialects.Seed003;

// The shapes of seed 003 (PUT /v1/auth/users/{user_id}/update), as documented: unix-second timestamps,
// prefixed ids (user_…, email_…, pn_…).

public sealed record Seed003EmailInput(string Email);

public sealed record Seed003PhoneNumberInput(string PhoneNumber);

public sealed record Seed003Request(
    string? FirstName, string? MiddleName, string? LastName,
    IReadOnlyList<Seed003EmailInput>? Emails, IReadOnlyList<Seed003PhoneNumberInput>? PhoneNumbers);

public sealed record Seed003Email(string Id, bool Verified, string Email, long UpdatedAt, long CreatedAt);

public sealed record Seed003PhoneNumber(string Id, bool Verified, string PhoneNumber, long UpdatedAt, long CreatedAt);

public sealed record Seed003User(
    string UserId, string FirstName, string MiddleName, string LastName, string Status, bool Active,
    long UpdatedAt, long CreatedAt,
    IReadOnlyList<Seed003Email> Emails, IReadOnlyList<Seed003PhoneNumber> PhoneNumbers,
    IReadOnlyList<JsonObject> IdpProviders, IReadOnlyList<JsonObject> Wallets,
    IReadOnlyList<JsonObject> Totps, IReadOnlyList<JsonObject> WebauthnCredentials);

public sealed record Seed003Response(
    string UserId, IReadOnlyList<Seed003PhoneNumber> PhoneNumbers, IReadOnlyList<Seed003Email> Emails, Seed003User User);

/// <summary>Any error, as Streambird's API states one (<c>status_code</c>, <c>error_type</c>, <c>error_message</c>), with the failing fields.</summary>
public sealed record Seed003Error(int StatusCode, string ErrorType, string ErrorMessage, IReadOnlyList<FieldError> Errors);
