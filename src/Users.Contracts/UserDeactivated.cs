namespace Users.Contracts;

/// <summary>The account was switched off: its credentials stop working.</summary>
public sealed record UserDeactivated : UserEvent;
