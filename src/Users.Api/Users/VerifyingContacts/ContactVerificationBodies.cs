using System.ComponentModel.DataAnnotations;

namespace Users.Api.Users.VerifyingContacts;

/// <summary>The body that submits the code texted to a phone number.</summary>
public sealed record VerificationCodeRequest
{
    /// <summary>The six digits of the text message.</summary>
    [RegularExpression("^[0-9]{6}$")]
    public required string Code { get; init; }
}

/// <summary>What verifying a secondary address or a phone number answers: the outcome, nothing of the profile.</summary>
/// <param name="Status">"verified".</param>
public sealed record ContactVerified(string Status, bool Verified)
{
    public static readonly ContactVerified Instance = new("verified", true);
}

/// <summary>The answer to a request for a mail or a code: accepted, the message follows asynchronously.</summary>
public sealed record VerificationSent(string Status, string Detail)
{
    public static readonly VerificationSent Mail = new("accepted", "A verification mail is on its way to the address.");
    public static readonly VerificationSent Code = new("accepted", "A verification code is on its way to the number by text message.");
}
