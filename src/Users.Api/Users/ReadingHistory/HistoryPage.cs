namespace Users.Api.Users.ReadingHistory;

/// <summary>A page of a user's history, oldest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record HistoryPage(Guid UserId, IReadOnlyList<HistoryEntry> Events, string? Next);
