namespace Users.Contracts;

/// <summary>The account was switched on again.</summary>
public sealed record UserReactivated : UserEvent;
