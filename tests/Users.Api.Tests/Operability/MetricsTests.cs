using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

[Collection(StackCollection.Name)]
public sealed class MetricsTests(UsersStack stack) : IDisposable
{
    private static readonly string[] Watched = ["users.events", "users.validation_failures", "users.outbox.backlog", "users.consumer.lag"];
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    [Fact]
    public async Task events_validation_failures_outbox_backlog_and_consumer_lag_are_measured()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Watched.Contains(instrument.Name))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();

        var email = HttpJson.UniqueEmail("metered");
        var created = await stack.Api.PostJsonAsync("/api/v1/users", new { email });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<Guid>();
        var invalid = await stack.Api.PatchJsonAsync($"/api/v1/users/{id}", new { first_name = new string('x', 101) });
        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await stack.Mail.WaitForMailToAsync(email);

        await Eventually.Until(() =>
        {
            _listener.RecordObservableInstruments();
            return Task.FromResult(_measurements.ToArray());
        }, m => m.Any(x => x.Instrument == "users.consumer.lag" && (string?)x.Tags.GetValueOrDefault("message_type") == "UserRegistered")
                && m.Any(x => x.Instrument == "users.events" && (string?)x.Tags.GetValueOrDefault("type") == "user_registered")
                && m.Any(x => x.Instrument == "users.outbox.backlog"),
            what: "the consumer lag, event and backlog measurements");

        _measurements.ShouldContain(x => x.Instrument == "users.validation_failures" && (string?)x.Tags.GetValueOrDefault("field") == "first_name");
        _measurements.Where(x => x.Instrument == "users.consumer.lag").ShouldAllBe(x => x.Value >= 0 && x.Value < 120);
        _measurements.Where(x => x.Instrument == "users.outbox.backlog").ShouldAllBe(x => x.Value >= 0);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags)
            copy[key] = tagValue;
        _measurements.Enqueue((instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}
