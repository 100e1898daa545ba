using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Users.Api.Tests.Infrastructure;

/// <summary>An OpenTelemetry exporter that keeps finished spans in memory (safe for several hosts at once).</summary>
public sealed class SpanCollector : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<Activity> _spans = new();

    public IReadOnlyList<Activity> Spans => _spans.ToArray();

    /// <summary>The spans of one trace, each once (two hosts in one process both see a shared source like Marten).</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => Spans.Where(s => s.TraceId == traceId).DistinctBy(s => s.SpanId).ToList();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var span in batch)
            _spans.Enqueue(span);
        return ExportResult.Success;
    }
}
