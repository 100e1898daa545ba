using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Users.Api.Tests.Infrastructure;

namespace Users.Api.Tests.Operability;

/// <summary>A stack whose two hosts export their spans into one in-memory collector.</summary>
public sealed class TracedStack : UsersStack
{
    public SpanCollector Collector { get; } = new();

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(
            tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(Collector))));

    protected override void ConfigureWorker(WebApplicationBuilder worker) =>
        worker.Services.ConfigureOpenTelemetryTracerProvider(
            tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(Collector)));
}

[CollectionDefinition(Name)]
public sealed class TracedStackCollection : ICollectionFixture<TracedStack>
{
    public const string Name = "traced stack";
}

[Collection(TracedStackCollection.Name)]
public sealed class TracingTests(TracedStack stack)
{
    [Fact]
    public async Task one_trace_runs_from_the_http_request_through_marten_the_outbox_rabbitmq_and_the_consumer_to_the_smtp_send()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var email = HttpJson.UniqueEmail("traced");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users") { Content = HttpJson.Body(new { email }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var response = await stack.Api.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        await stack.Mail.WaitForMailToAsync(email);

        // Spans arrive as they end; the consume span ends after the send (it records the request on the stream).
        IReadOnlyList<Activity> spans = [];
        try
        {
            spans = await Eventually.Until(() => Task.FromResult(stack.Collector.InTrace(traceId)), SendRunsInsideTheConsume,
                what: "the SMTP send during the consume, in the request's trace");
        }
        catch (TimeoutException)
        {
            spans = stack.Collector.InTrace(traceId);
        }

        var chain = string.Join("\n", spans.Select(s => $"{s.Source.Name}: {s.DisplayName} ({s.Kind}) {s.SpanId} <- {s.ParentSpanId}"));
        spans.ShouldContain(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server, chain);
        spans.ShouldContain(s => s.Source.Name == "Marten", chain);
        spans.ShouldContain(s => s.Source.Name == "Users.Api" && s.DisplayName.StartsWith("outbox ", StringComparison.Ordinal), chain);
        spans.ShouldContain(s => s.Source.Name == "Wolverine" && s.Kind == ActivityKind.Producer, chain);
        spans.ShouldContain(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer, chain);
        SendRunsInsideTheConsume(spans).ShouldBeTrue(chain);
    }

    /// <summary>The SMTP send (same trace) happens while the MassTransit consume span is open.</summary>
    private static bool SendRunsInsideTheConsume(IReadOnlyList<Activity> spans)
    {
        var send = spans.FirstOrDefault(s => s.Source.Name == "Users.Notifications" && s.DisplayName == "smtp send");
        return send is not null && spans.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer
            && s.StartTimeUtc <= send.StartTimeUtc && send.StartTimeUtc + send.Duration <= s.StartTimeUtc + s.Duration);
    }
}
