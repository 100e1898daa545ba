namespace Users.Api.Feed.ReadingFeed;

/// <summary>
/// A page of the feed in global order, up to the settled tail <see cref="HighWaterMark"/>; <see cref="Next"/> is
/// always there: a feed is open-ended, the client polls the cursor for what comes next.
/// </summary>
public sealed record FeedPage(IReadOnlyList<FeedEntry> Events, long HighWaterMark, string Next);
