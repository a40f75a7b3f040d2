using System.Diagnostics;
using System.Diagnostics.Metrics;
using Brm.Domain.Reporting;
using Marten;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Brm.Api.Hosting;

/// <summary>
/// OpenTelemetry for the service: traces of every call (ASP.NET Core, tagged with the gRPC method, status and
/// correlation id by <see cref="Infrastructure.TelemetryInterceptor"/>), of Marten and of Npgsql; metrics of
/// calls, the feed and projection lag (<see cref="BrmMetrics"/>), with Marten's, Npgsql's and ASP.NET Core's.
/// Metrics are collected in-process always; sent over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the
/// other standard <c>OTEL_*</c> variables), printed by the console exporter when <c>Telemetry:Console</c> is true,
/// otherwise not sent anywhere. Traces are recorded only when they go somewhere (either exporter) or
/// <c>Telemetry:Traces</c> is true (for an exporter added in code): recording every span for nobody cost about a
/// tenth of the service's CPU per call (docs/PERFORMANCE.md). The correlation id and the trace id in logs do not
/// depend on it: ASP.NET Core starts each request's activity either way.
/// </summary>
public static class Telemetry
{
    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> does not give one.</summary>
    public const string DefaultServiceName = "brm-api";

    /// <summary>Marten's ActivitySource and Meter.</summary>
    public const string Marten = "Marten";

    /// <summary>Records traces even with neither exporter configured (for one added in code, as the tests do).</summary>
    public const string TracesSetting = "Telemetry:Traces";

    public static void AddBrmTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var console = configuration.GetValue<bool>("Telemetry:Console");
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddSingleton<BrmMetrics>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName));
        if (console || otlp || configuration.GetValue<bool>(TracesSetting))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddSource(Marten)
                    .SetSampler(new ParentBasedSampler(new SkipHighWaterPolling()));
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddNpgsqlInstrumentation().AddMeter(BrmMetrics.MeterName, Marten);
            if (console)
            {
                metrics.AddConsoleExporter();
            }
        });

        if (otlp)
        {
            telemetry.UseOtlpExporter(); // traces, metrics and logs; the OTEL_EXPORTER_OTLP_* variables configure it
        }
    }
}

/// <summary>
/// Leaves out the async daemon's high-water-mark polling (a trace of its own several times a second, and its queries
/// with it); every other trace is kept whole.
/// </summary>
internal sealed class SkipHighWaterPolling : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Name == "marten.daemon.highwatermark" ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
}

/// <summary>
/// The service's own instruments (meter <c>Brm.Api</c>): <c>brm.rpc.calls</c> and <c>brm.rpc.duration</c> by
/// RPC, status and kind (command or query); <c>brm.feed.streams</c> open and <c>brm.feed.events</c> sent;
/// <c>brm.projection.lag</c>, each async projection's positions behind the high-water mark.
/// </summary>
public sealed class BrmMetrics
{
    public const string MeterName = "Brm.Api";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _feedStreams;
    private readonly Counter<long> _feedEvents;

    public BrmMetrics(IMeterFactory meters, IDocumentStore store, ILogger<BrmMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("brm.rpc.calls", "{call}", "brm.v1 calls, by rpc, status (gRPC code) and kind (command or query)");
        _duration = meter.CreateHistogram<double>("brm.rpc.duration", "s", "How long brm.v1 calls take, by rpc, status and kind");
        _feedStreams = meter.CreateUpDownCounter<long>("brm.feed.streams", "{stream}", "StreamEvents calls open now");
        _feedEvents = meter.CreateCounter<long>("brm.feed.events", "{event}", "Events sent by StreamEvents");
        meter.CreateObservableGauge("brm.projection.lag", () => Lag(store, logger), "{event}",
            "Positions each async projection shard is behind the async daemon's high-water mark");
    }

    public void CallEnded(string rpc, string status, bool command, TimeSpan elapsed)
    {
        var tags = new TagList { { "rpc", rpc }, { "status", status }, { "kind", command ? "command" : "query" } };
        _duration.Record(elapsed.TotalSeconds, tags); // before the count: a call seen counted has its duration recorded
        _calls.Add(1, tags);
    }

    /// <summary>Counts a feed stream as open until the returned handle is disposed.</summary>
    public IDisposable FeedStreamOpened()
    {
        _feedStreams.Add(1);
        return new Closing(() => _feedStreams.Add(-1));
    }

    public void FeedEventSent() => _feedEvents.Add(1);

    // Read when a metrics reader collects (every export interval), never on a call's path.
    private static IEnumerable<Measurement<long>> Lag(IDocumentStore store, ILogger logger)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lag = store.ProjectionLagAsync(timeout.Token).GetAwaiter().GetResult();
            return [.. lag.Select(shard => new Measurement<long>(shard.Value, new KeyValuePair<string, object?>("shard", shard.Key)))];
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            logger.LogDebug(e, "Projection lag could not be read");
            return [];
        }
    }

    private sealed class Closing(Action close) : IDisposable
    {
        public void Dispose() => close();
    }
}
