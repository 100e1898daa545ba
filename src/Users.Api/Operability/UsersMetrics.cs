using System.Diagnostics;
using System.Diagnostics.Metrics;
using Users.Domain.Profile;

namespace Users.Api.Operability;

/// <summary>The API's own instruments (Meter and ActivitySource "Users.Api").</summary>
public sealed class UsersMetrics : IDisposable
{
    public const string Name = "Users.Api";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Every event appended to a user's stream (registrations, updates, verifications, follows…), by event
    /// type, counted as its integration event enters the outbox. Not only updates: hence not "users.updates".</summary>
    public static readonly Counter<long> Events = Meter.CreateCounter<long>("users.events", "{event}",
        "Events appended to users' streams, by event type.");

    /// <summary>Fields that failed validation (422), by top-level field: names only, never values.</summary>
    public static readonly Counter<long> ValidationFailures = Meter.CreateCounter<long>("users.validation_failures", "{field}",
        "Fields rejected by validation, by field.");

    private readonly ObservableGauge<long> _backlog;

    public UsersMetrics(OutboxBacklog backlog)
    {
        _backlog = Meter.CreateObservableGauge("users.outbox.backlog",
            () => backlog.Last < 0 ? [] : new[] { new Measurement<long>(backlog.Last) },
            "{envelope}", "Envelopes waiting in the outbox.");
    }

    public static void ValidationFailed(IEnumerable<string> paths)
    {
        foreach (var field in paths.Select(TopLevelField).Distinct(StringComparer.Ordinal))
            ValidationFailures.Add(1, new KeyValuePair<string, object?>("field", field));
    }

    // "/emails/0/value" → "emails". Only catalogue names become tags: an unknown field's name is the
    // client's own text (it could be anything, even personal data).
    private static string TopLevelField(string path) => path.TrimStart('/').Split('/')[0] switch
    {
        "" => "(body)",
        var f when ProfileFields.Find(f) is not null || ProfileFields.ReadOnly.Contains(f) => f,
        _ => "(other)",
    };

    public void Dispose() => GC.KeepAlive(_backlog);
}
