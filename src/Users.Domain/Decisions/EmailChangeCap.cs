namespace Users.Domain.Decisions;

/// <summary>
/// At most <see cref="PerHour"/> changes of a user's address in any hour. Each change mails the old address, so
/// without a cap one stolen credential is a mail cannon aimed at any address (set it, change it, repeat).
/// Configured as <c>Users:EmailChangesPerHour</c> (1 to <see cref="MaxPerHour"/>).
/// </summary>
public sealed record EmailChangeCap
{
    /// <summary>The highest configurable cap; the <see cref="User"/> remembers this many changes.</summary>
    public const int MaxPerHour = 100;
    public static readonly TimeSpan Window = HourlyCap.Window;
    /// <summary>No cap: the default under test only, where addresses change in loops.</summary>
    public static readonly EmailChangeCap None = new();

    private EmailChangeCap()
    {
    }

    public EmailChangeCap(int perHour)
    {
        if (perHour is < 1 or > MaxPerHour)
            throw new ArgumentOutOfRangeException(nameof(perHour), perHour, $"Users:EmailChangesPerHour is 1 to {MaxPerHour}.");
        PerHour = perHour;
    }

    public int? PerHour { get; }

    /// <summary>When another change is allowed, given the times of the latest ones; null when it is allowed now.</summary>
    public DateTimeOffset? NextAllowed(IReadOnlyList<DateTimeOffset> changedAt, DateTimeOffset now) =>
        PerHour is { } cap ? HourlyCap.NextAllowed(changedAt, cap, now) : null;
}

/// <summary>A profile change refused whole because it changes the address once too often.</summary>
public sealed record EmailChangeRefused(int PerHour, DateTimeOffset AllowedAgainAt);
