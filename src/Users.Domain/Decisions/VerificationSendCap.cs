namespace Users.Domain.Decisions;

/// <summary>
/// At most <see cref="PerHour"/> verification mails to secondary addresses and texted codes in any hour, counted
/// twice: per user (every address and number of the account, added or re-sent) and per address or number (across
/// accounts, since many accounts may list one victim's number). Without it a signed-in caller turns the service
/// into a mail cannon or an SMS bill. Configured as <c>Users:VerificationCodesPerHour</c> (1 to <see cref="MaxPerHour"/>).
/// </summary>
public sealed record VerificationSendCap
{
    /// <summary>The highest configurable cap; the <see cref="User"/> and each address's log remember this many sends.</summary>
    public const int MaxPerHour = 100;
    /// <summary>No cap: the default under test only, where tests send in loops.</summary>
    public static readonly VerificationSendCap None = new();
    public const int DefaultPerHour = 5;

    /// <summary>The cap both hosts read from <c>Users:VerificationCodesPerHour</c>: the default, or none under test.</summary>
    public static VerificationSendCap Configured(int? perHour, bool testing) =>
        perHour is { } n ? new VerificationSendCap(n) : testing ? None : new VerificationSendCap(DefaultPerHour);

    private VerificationSendCap()
    {
    }

    public VerificationSendCap(int perHour)
    {
        if (perHour is < 1 or > MaxPerHour)
            throw new ArgumentOutOfRangeException(nameof(perHour), perHour, $"Users:VerificationCodesPerHour is 1 to {MaxPerHour}.");
        PerHour = perHour;
    }

    public int? PerHour { get; }

    /// <summary>When another send is allowed, given the user's latest sends and the address's; null when it is allowed now.</summary>
    public DateTimeOffset? NextAllowed(IReadOnlyList<VerificationSend> sentByUser, IReadOnlyList<DateTimeOffset> sentToAddress, DateTimeOffset now)
    {
        if (PerHour is not { } cap)
            return null;
        DateTimeOffset?[] waits = [HourlyCap.NextAllowed(sentByUser.Select(s => s.At), cap, now), HourlyCap.NextAllowed(sentToAddress, cap, now)];
        return waits.Max();
    }

    /// <summary>
    /// Whether the send asked for by the event at <paramref name="version"/> is within the cap, counting it and the
    /// user's sends in the hour before it. Additions of addresses are not refused (a registration or a profile
    /// update lists them): the worker asks this before mailing one, and past the cap mails nothing (the user may
    /// ask again later). A send no longer remembered (100 more followed it) is not mailed either.
    /// </summary>
    public bool Allows(IReadOnlyList<VerificationSend> sentByUser, long version)
    {
        if (PerHour is not { } cap)
            return true;
        if (sentByUser.FirstOrDefault(s => s.Version == version) is not { } send)
            return false;
        return sentByUser.Count(s => s.Version <= version && s.At > send.At - HourlyCap.Window) <= cap;
    }
}
