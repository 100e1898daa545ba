using JasperFx.Events;

namespace Users.Api.Http;

/// <summary>What every event's history or feed entry says about who, when, why, through which door and from where.</summary>
public static class EventMetadata
{
    /// <summary>The event's type in snake_case (its CLR name: <c>UserProfileUpdated</c> → <c>user_profile_updated</c>),
    /// the same after an upcast as for an event appended today.</summary>
    public static string TypeName(IEvent e) => ToSnakeCase(e.Data.GetType().Name);

    /// <summary>Who appended it; "system" for the service itself.</summary>
    public static string Actor(IEvent e) => string.IsNullOrEmpty(e.UserName) ? "system" : e.UserName;

    /// <summary>The door it came through (api/v1, a seed dialect, the worker); null for older events.</summary>
    public static string? Origin(IEvent e) => e.Headers?.GetValueOrDefault("origin")?.ToString();

    private static string ToSnakeCase(string name) => string.Concat(name.Select((c, i) =>
        char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
