namespace Users.Domain.Decisions;

/// <summary>"At most n in any hour", over the times of the latest occurrences: the one rule behind every cap.</summary>
public static class HourlyCap
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>When one more is allowed, given the times of the latest ones; null when it is allowed now.</summary>
    public static DateTimeOffset? NextAllowed(IEnumerable<DateTimeOffset> times, int perHour, DateTimeOffset now)
    {
        var recent = times.Where(t => t > now - Window).Order().ToList();
        return recent.Count < perHour ? null : recent[^perHour] + Window;
    }
}
