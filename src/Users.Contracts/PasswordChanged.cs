namespace Users.Contracts;

/// <summary>Tells that the password changed; never carries the hash.</summary>
public sealed record PasswordChanged : UserEvent;
