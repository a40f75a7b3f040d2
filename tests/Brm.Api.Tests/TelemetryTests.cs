using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Brm.Api.Hosting;
using Brm.Api.Infrastructure;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using StatusCode = Grpc.Core.StatusCode;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The service's telemetry, caught by OpenTelemetry's in-memory exporters while real calls run.</summary>
public sealed class TelemetryTests(TelemetryTests.Fixture api) : IClassFixture<TelemetryTests.Fixture>
{
    public sealed class Fixture : ApiFixture
    {
        public Exported<Activity> Spans { get; } = new();

        public ScopedLogs ScopedLogs { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
            [new("Logging:LogLevel:Brm.Api.Infrastructure.Mutations", "Debug"), new(Hosting.Telemetry.TracesSetting, "true")];

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans).AddProcessor(Calls));
            services.AddSingleton<ILoggerProvider>(ScopedLogs);
        }

        public CallSpans Calls { get; } = new();

        public void Flush()
        {
            Services.GetRequiredService<TracerProvider>().ForceFlush();
        }

        /// <summary>
        /// The total of a counter's measurements by this host since the test first asked, for the given tags (of a histogram:
        /// how many measurements it recorded). Counted
        /// with a MeterListener on this host's own meter (IMeterFactory scope): every host in the test process has a
        /// meter of the same name, so the exporter's sums mix hosts and depend on the order they start in.
        /// </summary>
        public long Sum(string metric, params (string Key, string Value)[] tags)
        {
            lock (_measured)
            {
                _listener ??= Listen();
                return _measured.Where(m => m.Instrument == metric && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
                    .Sum(m => m.Value);
            }
        }

        /// <summary>
        /// <see cref="Sum"/> once it reaches <paramref name="expected"/> (or after 10 s): a call is counted when its
        /// handler ends, which can be a moment after the client has its answer.
        /// </summary>
        public async Task<long> SumAsync(long expected, string metric, params (string Key, string Value)[] tags)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Sum(metric, tags) < expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            return Sum(metric, tags);
        }

        /// <summary>What an observable instrument of this host reports now, for the given tags.</summary>
        public IReadOnlyList<long> Observe(string metric, params (string Key, string Value)[] tags)
        {
            lock (_measured)
            {
                _listener ??= Listen();
                var from = _measured.Count;
                _listener.RecordObservableInstruments(); // the callbacks run here, on this thread
                return [.. _measured.Skip(from).Where(m => m.Instrument == metric && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
                    .Select(m => m.Value)];
            }
        }

        private readonly List<(string Instrument, Dictionary<string, object?> Tags, long Value)> _measured = [];
        private MeterListener? _listener;

        private MeterListener Listen()
        {
            var scope = Services.GetRequiredService<IMeterFactory>();
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == BrmMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var pairs = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    pairs[tag.Key] = tag.Value;
                }

                lock (_measured)
                {
                    _measured.Add((instrument.Name, pairs, value));
                }
            });
            // A histogram's measurement (a duration in seconds) counts as 1: Sum then tells how many were recorded.
            listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
            {
                var pairs = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    pairs[tag.Key] = tag.Value;
                }

                lock (_measured)
                {
                    _measured.Add((instrument.Name, pairs, 1));
                }
            });
            listener.Start();
            return listener;
        }
    }

    [Fact]
    public async Task A_command_leaves_one_trace_of_the_call_marten_and_npgsql_tagged_with_the_correlation_id_of_its_events_and_logs()
    {
        var correlation = "corr-" + Guid.NewGuid().ToString("N");
        var code = UniqueCode();
        var registered = await api.Relationships.RegisterDepartmentAsync(
            new RegisterDepartmentRequest { Code = code, Name = "Finance" },
            new Metadata { { Correlation.Header, correlation } });
        await api.Calls.EndedAsync(correlation);
        api.Flush();

        var call = Assert.Single(api.Spans, s => Equals(s.GetTagItem("brm.correlation_id"), correlation));
        Assert.Equal("grpc", call.GetTagItem("rpc.system"));
        Assert.Equal("brm.v1.RelationshipService", call.GetTagItem("rpc.service"));
        Assert.Equal("RegisterDepartment", call.GetTagItem("rpc.method"));
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        var inTrace = api.Spans.Where(s => s.TraceId == call.TraceId).ToList();
        Assert.Contains(inTrace, s => s.Source.Name == Telemetry.Marten);
        Assert.Contains(inTrace, s => s.Source.Name == "Npgsql" && s.DisplayName == "postgresql");
        Assert.DoesNotContain(api.Spans, s => s.DisplayName == "marten.daemon.highwatermark"); // polling is left out

        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(registered.Relationship.Id));
        Assert.Equal(correlation, Assert.Single(events).CorrelationId);

        var committed = Assert.Single(api.ScopedLogs.Lines, l => l.Category == typeof(Mutations).FullName && l.Scope.GetValueOrDefault("CorrelationId") as string == correlation);
        Assert.Contains("RegisterDepartment committed for " + ApiFixture.AdminName, committed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_correlation_header_the_trace_id_is_the_correlation_id()
    {
        var registered = await api.Relationships.RegisterAsync();
        api.Flush();

        await using var session = api.Store.QuerySession();
        var correlation = Assert.Single(await session.Events.FetchStreamAsync(Guid.Parse(registered.Id))).CorrelationId!;
        await api.Calls.EndedAsync(correlation);
        var call = Assert.Single(api.Spans, s => Equals(s.GetTagItem("brm.correlation_id"), correlation));
        Assert.Equal(call.TraceId.ToString(), correlation);
    }

    [Fact]
    public async Task Calls_are_counted_by_rpc_status_and_kind()
    {
        const string register = "/brm.v1.RelationshipService/RegisterDepartment";
        const string get = "/brm.v1.RelationshipService/GetRelationship";
        api.Flush();
        var before = (Ok: api.Sum("brm.rpc.calls", ("rpc", register), ("status", "OK"), ("kind", "command")),
            Invalid: api.Sum("brm.rpc.calls", ("rpc", register), ("status", "INVALID_ARGUMENT")),
            NotFound: api.Sum("brm.rpc.calls", ("rpc", get), ("status", "NOT_FOUND"), ("kind", "query")),
            Durations: api.Sum("brm.rpc.duration", ("rpc", register)));

        await api.Relationships.RegisterAsync();
        await api.Relationships.RegisterAsync();
        await FailsWith(StatusCode.InvalidArgument, api.Relationships.RegisterDepartmentAsync(new RegisterDepartmentRequest()));
        await FailsWith(StatusCode.NotFound, api.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = Guid.NewGuid().ToString() }));
        api.Flush();

        Assert.Equal(before.Ok + 2, await api.SumAsync(before.Ok + 2, "brm.rpc.calls", ("rpc", register), ("status", "OK"), ("kind", "command")));
        Assert.Equal(before.Invalid + 1, await api.SumAsync(before.Invalid + 1, "brm.rpc.calls", ("rpc", register), ("status", "INVALID_ARGUMENT")));
        Assert.Equal(before.NotFound + 1, await api.SumAsync(before.NotFound + 1, "brm.rpc.calls", ("rpc", get), ("status", "NOT_FOUND"), ("kind", "query")));
        Assert.Equal(before.Durations + 3, await api.SumAsync(before.Durations + 3, "brm.rpc.duration", ("rpc", register)));
    }

    [Fact]
    public async Task The_feed_counts_open_streams_and_events_sent_and_projection_lag_is_measured_per_shard()
    {
        await api.Relationships.RegisterAsync();
        await api.WaitForProjectionsAsync();
        api.Flush();
        var sentBefore = api.Sum("brm.feed.events");

        using var feed = api.Reporting.StreamEvents(new StreamEventsRequest { After = 0, Follow = true });
        var received = 0;
        while (await feed.ResponseStream.MoveNext(CancellationToken.None) && feed.ResponseStream.Current.ItemCase != StreamEventsResponse.ItemOneofCase.CaughtUp)
        {
            received += feed.ResponseStream.Current.ItemCase == StreamEventsResponse.ItemOneofCase.Event ? 1 : 0;
        }

        api.Flush();
        Assert.True(received > 0);
        Assert.Equal(sentBefore + received, await api.SumAsync(sentBefore + received, "brm.feed.events"));
        Assert.True(api.Sum("brm.feed.streams") >= 1); // this one is still open

        var lag = Assert.Single(api.Observe("brm.projection.lag", ("shard", "Timeline:All")));
        Assert.InRange(lag, 0, long.MaxValue);
    }
}

/// <summary>
/// What an in-memory exporter collects: the exporter adds from its own thread while the daemon keeps working,
/// so a test reads a snapshot taken under the lock.
/// </summary>
public sealed class Exported<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item) => Snapshot().Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private T[] Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }
}

/// <summary>Log lines with the values of the scopes they were written in (as the JSON console shows them).</summary>
public sealed class ScopedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(string Category, string Message, IReadOnlyDictionary<string, object?> Scope)> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IEnumerable<(string Category, string Message, IReadOnlyDictionary<string, object?> Scope)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ScopedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            logs._scopes.ForEachScope(
                (value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (key, v) in pairs)
                        {
                            values[key] = v;
                        }
                    }
                },
                scope);
            logs._lines.Enqueue((category, formatter(state, exception), scope));
        }
    }
}
