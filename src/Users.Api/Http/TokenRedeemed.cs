namespace Users.Api.Http;

/// <summary>
/// What redeeming a mailed token answers: the outcome and nothing of the profile, since whoever holds the
/// link (perhaps not the user) is anonymous.
/// </summary>
/// <param name="Status">"verified" or "reverted".</param>
public sealed record TokenRedeemed(string Status, bool EmailVerified);
