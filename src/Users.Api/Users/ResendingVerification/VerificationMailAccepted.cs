namespace Users.Api.Users.ResendingVerification;

/// <summary>The answer to a resend: accepted, the mail follows asynchronously.</summary>
public sealed record VerificationMailAccepted(string Status, string Detail)
{
    public static readonly VerificationMailAccepted Instance = new("accepted", "A new verification mail is on its way.");
}
