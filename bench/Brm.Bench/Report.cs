using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Brm.Bench;

/// <summary>The machine the figures were taken on: they mean little without it.</summary>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string? Postgres, string LoadAverageAtStart)
{
    public static MachineInfo Describe() => new(
        ProcFile("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
        Environment.ProcessorCount,
        (ProcFile("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } total
            ? double.Parse(total["MemTotal:".Length..].Trim().Split(' ')[0]) : 0) / 1024 / 1024,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        null,
        LoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages: other work on a shared machine shows here.</summary>
    public static string LoadAverage() => string.Join(' ', ProcFile("/proc/loadavg").FirstOrDefault()?.Split(' ').Take(3) ?? []);

    private static string[] ProcFile(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}

/// <summary>
/// Process start to SERVING: on a fresh data folder; and on the folder the run left, <paramref name="ExistingDataFolderStarts"/>
/// times one after another (<paramref name="ExistingDataFolderSeconds"/>: their median).
/// </summary>
public sealed record ColdStart(
    double FreshDataFolderSeconds,
    double? ExistingDataFolderSeconds,
    long? EventsInExistingStore,
    IReadOnlyList<double>? ExistingDataFolderStarts = null);

/// <summary>A query's latency with the store at its largest size ÷ at its first.</summary>
public sealed record GrowthRatio(double P50, double P95);

/// <summary>Every ratio of the run: the service against PostgreSQL itself, and the store against its own smaller self (per query).</summary>
public sealed record Ratios(
    double? CommandsPerPgbenchTps, double? CallsPerPgbenchTps, double? FeedPerRawCopy, IReadOnlyDictionary<string, GrowthRatio> Growth);

/// <summary>Everything one run measured; printed at the end and written as JSON with --json.</summary>
public sealed class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public required BenchOptions Parameters { get; init; }

    public required MachineInfo Machine { get; set; }

    public string? LoadAverageAtEnd { get; set; }

    /// <summary>Seconds the end's reading waited for the run's own share of the load average to decay (<see cref="LoadCheck"/>).</summary>
    public double LoadAverageAtEndWaitedSeconds { get; set; }

    public double LoadAverageLimit => LoadCheck.Limit;

    /// <summary>The 1-minute load average was above <see cref="LoadCheck.Limit"/> at the start or the end: nothing of this run compares.</summary>
    public bool Busy => LoadCheck.IsBusy(Machine.LoadAverageAtStart) || LoadCheck.IsBusy(LoadAverageAtEnd);

    public ColdStart? ColdStart { get; set; }

    public WorkloadResult? Workload { get; set; }

    public PgbenchResult? Pgbench { get; set; }

    public List<FillResult> Fills { get; } = [];

    public List<GrowthStep> Growth { get; } = [];

    public FeedResult? Feed { get; set; }

    /// <summary>The mix open-loop at a fixed rate (<c>--rate</c>): at half the workload's commands/s, or at the rate asked.</summary>
    public OpenLoopResult? OpenLoop { get; set; }

    public FeedLagResult? FeedLag { get; set; }

    /// <summary>The web app's first load (<c>--web</c>), from the service as built, then as published.</summary>
    public List<WebLoadResult> Web { get; } = [];

    /// <summary>None when the machine was busy: a ratio of figures taken while other work took the CPU means nothing.</summary>
    public Ratios? Ratios => Busy ? null : new(
        Workload is { } w && Pgbench is { Tps: > 0 } p ? w.CommandsPerSecond / p.Tps : null,
        Workload is { } w2 && Pgbench is { Tps: > 0 } p2 ? w2.CallsPerSecond / p2.Tps : null,
        Feed?.RatioToRaw,
        Growth.Count > 1 ? Growth[^1].Reads.ToDictionary(g => g.Rpc, g => new GrowthRatio(g.P50Ratio, g.P95Ratio)) : new Dictionary<string, GrowthRatio>());

    /// <summary>What makes the run invalid (exit code 1): wrong feed, failed calls other than lost races.</summary>
    public IReadOnlyList<string> Problems =>
    [
        .. Workload?.ErrorsByStatus.Where(e => e.Key != "Aborted").Select(e => $"{e.Value} workload calls failed with {e.Key}") ?? [],
        .. OpenLoop?.ErrorsByStatus.Where(e => e.Key != "Aborted").Select(e => $"{e.Value} open-loop calls failed with {e.Key}") ?? [],
        .. Feed?.Problem is { } feed ? [$"feed: {feed}"] : Array.Empty<string>(),
        .. FeedLag?.Errors.Select(e => $"{e.Value} feed lag writer calls failed with {e.Key}") ?? [],
        .. FeedLag?.Problem is { } lag ? [$"feed lag: {lag}"] : Array.Empty<string>(),
    ];

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public override string ToString()
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);

        Line($"BRM CRM performance, {StartedAt:yyyy-MM-dd HH:mm} UTC");
        Line($"machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGiB:0.0} GiB; {Machine.Os}; {Machine.Runtime}; PostgreSQL {Machine.Postgres}");
        Line($"load average (1/5/15 min): {Known(Machine.LoadAverageAtStart)} at start, {Known(LoadAverageAtEnd)} at end"
            + (LoadAverageAtEndWaitedSeconds > 0 ? $" (read {LoadAverageAtEndWaitedSeconds:0} s after the run's processes stopped)" : ""));
        Line(Busy
            ? $"NOT COMPARABLE: the machine was busy (1-minute load average above {LoadCheck.Limit} at the start or the end): "
                + "the figures below are for the record only, and no ratio is given. Take figures on a quiet machine, with no build or test running."
            : $"the machine was quiet: 1-minute load average at most {LoadCheck.Limit} at the start and the end");
        Line($"parameters: {Arguments(Parameters)}");

        if (ColdStart is { } cold)
        {
            Line();
            Line("cold start: process start to grpc.health.v1 SERVING");
            Line($"  fresh data folder (initdb, schema)          {cold.FreshDataFolderSeconds,8:0.00} s");
            if (cold.ExistingDataFolderSeconds is { } existing)
            {
                var starts = cold.ExistingDataFolderStarts is { Count: > 1 } all ? $" (median of {all.Count}: {string.Join(", ", all.Select(s => $"{s:0.00}"))})" : "";
                Line($"  existing data folder ({cold.EventsInExistingStore:N0} events){new string(' ', Math.Max(1, 14 - $"{cold.EventsInExistingStore:N0}".Length))}{existing,8:0.00} s{starts}");
            }
        }

        if (Workload is { } w)
        {
            Line();
            Line($"workload: {w.Seconds:0.0} s measured, {w.Concurrency} calls in flight, {w.Departments} departments ({Parameters.Warmup} s warm-up before)");
            Line($"  {"rpc",-32}{"kind",-9}{"calls",9}{"per s",9}{"p50 ms",9}{"p95 ms",9}{"p99 ms",9}{"max ms",9}  errors");
            foreach (var o in w.Operations)
            {
                Line($"  {o.Name,-32}{o.Kind.ToString().ToLowerInvariant(),-9}{o.Calls,9}{o.PerSecond,9:0.0}{o.Latency.P50,9:0.00}{o.Latency.P95,9:0.00}"
                    + $"{o.Latency.P99,9:0.00}{o.Latency.Max,9:0.0}  {Errors(o.Errors)}");
            }

            Line($"  commands {w.CommandsPerSecond:0.0}/s, queries {w.QueriesPerSecond:0.0}/s, all calls {w.CallsPerSecond:0.0}/s; errors: {Errors(w.ErrorsByStatus)}");
            Line($"  CPU per call (any kind): service {w.CpuMsPerCall.Service:0.00} ms, PostgreSQL {w.CpuMsPerCall.Postgres:0.00} ms, "
                + $"this client {w.CpuMsPerCall.Client:0.00} ms");
            Line($"  service memory: peak (VmHWM) {w.ServerMemory.PeakMiB:0} MiB {(w.PeakIsOfWorkloadOnly ? "during the workload" : "since start")}, "
                + $"{w.ServerMemory.CurrentMiB:0} MiB at the end");
        }

        if (Pgbench is { } p)
        {
            Line();
            Line($"baseline: pgbench on the same PostgreSQL, one single-row JSON insert per transaction, {p.Clients} clients, {p.Threads} threads, {p.Seconds} s");
            Line($"  {p.Tps:0.0} tps, latency average {p.LatencyAverageMs:0.00} ms, {p.Transactions:N0} transactions, {p.Failed} failed; "
                + $"PostgreSQL CPU {p.PostgresCpuMsPerTransaction:0.00} ms per transaction");
        }

        if (OpenLoop is { } open)
        {
            Line();
            Line($"open loop: calls started on a fixed schedule, {open.CommandsPerSecondAsked:0.0} commands/s"
                + (open.HalfOfCommandsPerSecond is { } full ? $" (half the workload's {full:0.0})" : "")
                + $" and the mix's queries in proportion ({open.CallsPerSecondAsked:0.0} calls/s), for {Parameters.Duration} s ({Parameters.Warmup} s warm-up before);"
                + " latency from each call's intended start");
            Line($"  {"kind",-10}{"calls",9}{"per s",9}{"p50 ms",9}{"p90 ms",9}{"p99 ms",9}{"max ms",9}{"mean ms",9}");
            foreach (var (kind, k) in new[] { ("commands", open.Commands), ("queries", open.Queries) })
            {
                Line($"  {kind,-10}{k.Calls,9}{k.PerSecond,9:0.0}{k.P50,9:0.00}{k.P90,9:0.00}{k.P99,9:0.00}{k.Max,9:0.0}{k.Mean,9:0.00}");
            }

            Line($"  commands issued {open.CommandsPerSecondIssued:0.0}/s, answered {open.Commands.PerSecond:0.0}/s (over {open.Seconds:0.0} s, to the last answer); "
                + $"errors: {Errors(open.ErrorsByStatus)}");
            Line($"  behind schedule when sent: {open.DispatchLagMeanMs:0.00} ms mean, {open.DispatchLagMaxMs:0.0} ms max (counted in the latencies); "
                + $"at most {open.MaxInFlight} calls in flight");
            Line($"  CPU per call (any kind): service {open.CpuMsPerCall.Service:0.00} ms, PostgreSQL {open.CpuMsPerCall.Postgres:0.00} ms, this client {open.CpuMsPerCall.Client:0.00} ms");
        }

        if (Growth.Count > 0)
        {
            Line();
            Line($"growth: each query from one caller, {Parameters.GrowthReads} calls per size (ratios to the first size)");
            Line($"  {"query",-16}{"events in store",16}{"p50 ms",9}{"p95 ms",9}{"p99 ms",9}{"p50 ×",8}{"p95 ×",8}{"items",8}   CPU ms per call: service, PostgreSQL");
            foreach (var g in Growth.SelectMany(step => step.Reads.Select(read => (step.EventsInStore, Read: read))).OrderBy(g => g.Read.Rpc, StringComparer.Ordinal))
            {
                var (events, read) = g;
                Line($"  {read.Rpc,-16}{events,16:N0}{read.Latency.P50,9:0.00}{read.Latency.P95,9:0.00}{read.Latency.P99,9:0.00}"
                    + $"{(Busy ? "-" : $"{read.P50Ratio:0.00}"),8}{(Busy ? "-" : $"{read.P95Ratio:0.00}"),8}{read.ItemsPerCall,8:0.#}   {read.CpuMsPerCall.Service:0.00}, {read.CpuMsPerCall.Postgres:0.00}");
            }
        }

        if (Feed is { } f)
        {
            Line();
            Line($"feed: StreamEvents from position 0 to caught_up, {f.EventsInStore:N0} events in the store");
            Line($"  feed      {f.Delivered,12:N0} events in {f.Seconds,7:0.00} s = {f.EventsPerSecond,10:N0} events/s");
            Line($"  raw COPY  {f.EventsInStore,12:N0} rows   in {f.RawSeconds,7:0.00} s = {f.RawRowsPerSecond,10:N0} rows/s ({f.RawBytes / 1024.0 / 1024:0} MiB)");
            Line($"  service CPU {f.ServiceCpuMicrosecondsPerEvent:0.0} µs per event; "
                + $"service memory: peak (VmHWM) {f.ServerMemory.PeakMiB:0} MiB {(f.PeakIsOfFeedOnly ? "during the feed" : "since start")}");
        }

        if (FeedLag is { } l)
        {
            Line();
            Line($"feed lag: {l.Writers} writers renaming departments for {l.Seconds:0.0} s (half race on one, half on their own), "
                + "one client following StreamEvents");
            Line($"  writer calls: {l.Committed:N0} OK ({l.Committed / l.Seconds:0.0}/s), {l.Aborted:N0} ABORTED (lost races); "
                + $"errors: {Errors(l.Errors)}; the follower received {l.Received:N0} events, missed {l.Missed:N0}");
            Line($"  {"ms",-44}{"p50",9}{"p95",9}{"p99",9}{"max",9}");
            Line($"  {"writer's OK → follower received it",-44}{l.Lag.P50,9:0.0}{l.Lag.P95,9:0.0}{l.Lag.P99,9:0.0}{l.Lag.Max,9:0.0}");
            Line($"  {"recorded_at → follower received it",-44}{l.LagFromRecordedAt.P50,9:0.0}{l.LagFromRecordedAt.P95,9:0.0}"
                + $"{l.LagFromRecordedAt.P99,9:0.0}{l.LagFromRecordedAt.Max,9:0.0}");
            Line($"  {"writer's OK → high-water mark reached it",-44}{l.HighWaterMarkTrail.P50,9:0.0}{l.HighWaterMarkTrail.P95,9:0.0}"
                + $"{l.HighWaterMarkTrail.P99,9:0.0}{l.HighWaterMarkTrail.Max,9:0.0}");
            Line($"  in the step's range of positions: {l.SequenceHoles:N0} sequence numbers missing (holes), {l.Tombstones:N0} tombstones");
        }

        if (Fills.Count > 0)
        {
            Line();
            Line("filling the store (half the workload's departments' closed history through Marten sessions, half relationship streams by Marten's bulk COPY; then the async daemon's high-water mark and async projections catching up)");
            foreach (var s in Fills)
            {
                Line($"  {s.EventsBefore,12:N0} → {s.EventsAfter,12:N0}: appended in {s.AppendSeconds:0.0} s ({s.AppendedPerSecond:N0}/s); "
                    + $"daemon caught up {s.CatchUpSeconds:0.0} s later ({s.CaughtUpPerSecond:N0} events/s)");
            }
        }

        foreach (var web in Web)
        {
            WebSection(web, Line);
        }

        if (Parameters.Web || Parameters.Rate is not null)
        {
            Line();
            Line(Problems.Count == 0 ? "problems: none" : $"problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Problems));
            return text.ToString();
        }

        Line();
        Line("ratios (same machine, same run)");
        if (Ratios is not { } r)
        {
            Line($"  none: the machine was busy (1-minute load average above {LoadCheck.Limit} at the start or the end)");
            Line();
            Line(Problems.Count == 0 ? "problems: none" : $"problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Problems));
            return text.ToString();
        }

        Line($"  commands/s ÷ pgbench tps                    {Ratio(r.CommandsPerPgbenchTps)}");
        Line($"  all calls/s ÷ pgbench tps                   {Ratio(r.CallsPerPgbenchTps)}");
        Line($"  feed events/s ÷ raw COPY rows/s             {Ratio(r.FeedPerRawCopy)}");
        foreach (var (rpc, growth) in r.Growth)
        {
            Line($"  {rpc + " p50, largest ÷ first size",-44}{Ratio(growth.P50)}");
            Line($"  {rpc + " p95, largest ÷ first size",-44}{Ratio(growth.P95)}");
        }
        Line();
        Line(Problems.Count == 0 ? "problems: none" : $"problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Problems));
        return text.ToString();
    }

    private static void WebSection(WebLoadResult web, Action<string> line)
    {
        line("");
        line($"web app first load, the service as {web.Service}: {web.Browser}, ms from navigation start to the screen's h1 in the page, "
            + "and to its content (ready)");
        line($"  {"screen",-10}{"load",-6}{"runs",5}{"files in",10}{"h1 median",11}{"h1 max",9}{"ready median",14}{"ready max",11}   requests, transferred");
        foreach (var s in web.Screens)
        {
            Times("cold", s.Cold, s.ColdBundle);
            Times("warm", s.Warm, s.WarmBundle);

            void Times(string load, LoadTimes t, Bundle b) =>
                line($"  {s.Screen,-10}{load,-6}{t.Runs,5}{t.FilesInMedian,10:0}{t.HeadingMedian,11:0}{t.HeadingMax,9:0}{t.ReadyMedian,14:0}{t.ReadyMax,11:0}   "
                    + $"{b.Requests}, {Size(b.TransferBytes)}");
        }

        foreach (var s in web.Screens)
        {
            var b = s.ColdBundle;
            line($"  {s.Screen} ({s.Path}; ready: {s.ReadyWhen}), cold load: {b.Requests} requests, {Size(b.TransferBytes)} transferred, "
                + $"{Size(b.EncodedBytes)} of bodies, {Size(b.DecodedBytes)} decoded; {b.Compressed} of {b.Requests} compressed");
            line("    biggest: " + string.Join("; ", b.Biggest.Select(f => $"{Path.GetFileName(f.Path)} {Size(f.TransferBytes)} transferred, {Size(f.DecodedBytes)} decoded")));
        }

        line("  files in: median ms until the last of _framework/ arrived; the time after it is the browser's and the .NET runtime's work");
        var c = web.Compression;
        line($"  {c.Path}: accepting what Chromium does (gzip, deflate, br, zstd) → {c.AskedLikeChromium ?? "uncompressed"}; accepting gzip only → {c.AskedForGzip ?? "uncompressed"}; "
            + $"Cache-Control: {c.CacheControl ?? "none"}");
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024.0 / 1024:0.00} MiB" : $"{bytes / 1024.0:0.0} KiB";

    private static string Known(string? loadAverage) => string.IsNullOrEmpty(loadAverage) ? "unknown" : loadAverage;

    private static string Ratio(double? value) => value is { } v ? $"{v:0.000}" : "-";

    private static string Errors(IReadOnlyDictionary<string, long> errors) =>
        errors.Count == 0 ? "none" : string.Join(", ", errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}"));

    private static string Arguments(BenchOptions o) => o.Web
        ? $"--web --web-runs {o.WebRuns} --departments {o.Departments}{(o.WebServices.Count == 1 ? $" --service {o.Service}" : "")}"
        : o.Rate is { } rate
        ? $"--rate {rate} --duration {o.Duration} --warmup {o.Warmup} --departments {o.Departments} --service {o.Service}{(o.RequestIds ? "" : " --no-request-ids")}"
        : $"--duration {o.Duration} --warmup {o.Warmup} --concurrency {o.Concurrency} --departments {o.Departments} --feed-events {o.FeedEvents} "
        + $"--growth {(o.Growth.Count == 0 ? "none" : string.Join(',', o.Growth))} --growth-reads {o.GrowthReads} --rate {(o.HalfLoad ? "half" : "none")} --service {o.Service}"
        + (o.RequestIds ? "" : " --no-request-ids");
}
