using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Grpc.Core;
using HdrHistogram;

namespace Brm.Bench;

/// <summary>One kind's figures in the open loop: successful calls, their rate, latency from each call's intended start (ms).</summary>
public sealed record OpenLoopLatency(long Calls, double PerSecond, double P50, double P90, double P99, double Max, double Mean);

public sealed record OpenLoopResult(
    double Seconds,
    double CommandsPerSecondAsked,
    double? HalfOfCommandsPerSecond,
    double CallsPerSecondAsked,
    double CommandsPerSecondIssued,
    OpenLoopLatency Commands,
    OpenLoopLatency Queries,
    IReadOnlyDictionary<string, long> ErrorsByStatus,
    double DispatchLagMeanMs,
    double DispatchLagMaxMs,
    long MaxInFlight,
    CpuTime CpuMsPerCall);

/// <summary>
/// The mix of <see cref="Mix"/> open-loop: calls start at a fixed arrival rate, on a schedule set in advance, whether
/// or not earlier calls have answered, for a fixed time; calls in flight at the end finish and count. A call's
/// latency runs from its intended start, not from when it was sent, so a service (or client) that falls behind shows
/// in every call it delays, not in one (no coordinated omission). The rate is of commands; the mix's queries come in
/// their proportion (30 to 70), so half the closed-loop workload's commands/s is half its calls/s too.
/// </summary>
public static class OpenLoop
{
    // Latencies in microseconds, 3 significant digits, up to a minute (calls have a 30 s deadline).
    private const long MaxMicroseconds = 60_000_000;

    private const int ClockMonotonic = 1; // CLOCK_MONOTONIC, the clock of Stopwatch on Linux

    public static async Task<OpenLoopResult> RunAsync(
        Clients clients, IReadOnlyList<Department> departments, BenchOptions options, double commandsPerSecond, double? halfOf,
        ServerProcess server, CancellationToken ct)
    {
        var commandWeight = Mix.Operations.Where(o => o.Kind == OperationKind.Command).Sum(o => o.Weight);
        var callsPerSecond = commandsPerSecond * Mix.Operations.Sum(o => o.Weight) / commandWeight;
        if (options.Warmup > 0)
        {
            await RunForAsync(clients, departments, options, callsPerSecond, TimeSpan.FromSeconds(options.Warmup), seed: 1, ct);
        }

        var cpu = CpuTime.Now(server);
        var (tally, elapsed) = await RunForAsync(clients, departments, options, callsPerSecond, TimeSpan.FromSeconds(options.Duration), seed: 0, ct);
        var cpuUsed = CpuTime.Now(server).Since(cpu);

        var seconds = elapsed.TotalSeconds;
        var errors = tally.Errors.ToDictionary(e => e.Key.ToString(), e => e.Value);
        return new OpenLoopResult(
            seconds,
            commandsPerSecond,
            halfOf,
            callsPerSecond,
            tally.CommandsIssued / (double)Math.Max(1, options.Duration),
            Figures(tally.Commands, seconds),
            Figures(tally.Queries, seconds),
            errors,
            tally.Issued == 0 ? double.NaN : tally.DispatchLagTicks * 1000.0 / Stopwatch.Frequency / tally.Issued,
            tally.DispatchLagMaxTicks * 1000.0 / Stopwatch.Frequency,
            tally.MaxInFlight,
            cpuUsed.PerUnitMs(tally.Commands.TotalCount + tally.Queries.TotalCount + errors.Values.Sum()));
    }

    // Starts call i at start + i / rate (picked from the mix by weight, on a department at random: the same sequence
    // every run), then waits for the calls in flight. Elapsed: from the schedule's start to the last answer. The
    // schedule keeps its own thread, asleep in clock_nanosleep between calls: Task.Delay wakes in whole
    // milliseconds, through the thread pool, and sent calls a few milliseconds late, which counted in every latency.
    private static async Task<(Tally Tally, TimeSpan Elapsed)> RunForAsync(
        Clients clients, IReadOnlyList<Department> departments, BenchOptions options, double callsPerSecond, TimeSpan duration, int seed,
        CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var scheduled = new TaskCompletionSource<(Tally, List<Task>)>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                scheduled.SetResult(Schedule(clients, departments, options, callsPerSecond, duration, seed, start, ct));
            }
            catch (Exception e)
            {
                scheduled.SetException(e);
            }
        }) { IsBackground = true, Name = "open-loop schedule" }.Start();
        var (tally, running) = await scheduled.Task;
        await Task.WhenAll(running);
        return (tally, Stopwatch.GetElapsedTime(start));
    }

    private static (Tally Tally, List<Task> Running) Schedule(
        Clients clients, IReadOnlyList<Department> departments, BenchOptions options, double callsPerSecond, TimeSpan duration, int seed,
        long start, CancellationToken ct)
    {
        var cumulative = Mix.Operations.Select(o => o.Weight).Aggregate(new List<int>(), (sums, w) =>
        {
            sums.Add((sums.Count == 0 ? 0 : sums[^1]) + w);
            return sums;
        });
        var random = new Random(seed);
        var tally = new Tally();
        var calls = (long)(duration.TotalSeconds * callsPerSecond);
        var ticksPerCall = Stopwatch.Frequency / callsPerSecond;
        var running = new List<Task>();
        for (long i = 0; i < calls; i++)
        {
            var intended = start + (long)(i * ticksPerCall);
            SleepUntil(intended);
            ct.ThrowIfCancellationRequested();

            tally.Dispatched(Stopwatch.GetTimestamp() - intended);
            var pick = random.Next(cumulative[^1]);
            var operation = Mix.Operations[cumulative.FindIndex(sum => pick < sum)];
            var call = new Call(clients, departments[random.Next(departments.Count)], new Random(random.Next()), options.RequestIds, ct);
            running.Add(RunOneAsync(operation, call, intended, tally, ct));
        }

        return (tally, running);
    }

    private static void SleepUntil(long timestamp)
    {
        for (var left = timestamp - Stopwatch.GetTimestamp(); left > 0; left = timestamp - Stopwatch.GetTimestamp())
        {
            var nanoseconds = (long)(left * (1e9 / Stopwatch.Frequency));
            var request = new Timespec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
            _ = clock_nanosleep(ClockMonotonic, 0, in request, IntPtr.Zero); // woken early by a signal: the loop sleeps again
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int clock_nanosleep(int clockId, int flags, in Timespec request, IntPtr remaining);

    private static async Task RunOneAsync(Operation operation, Call call, long intended, Tally tally, CancellationToken ct)
    {
        tally.Started(operation.Kind);
        try
        {
            await operation.Run(call);
            var microseconds = (Stopwatch.GetTimestamp() - intended) * 1_000_000 / Stopwatch.Frequency;
            (operation.Kind == OperationKind.Command ? tally.Commands : tally.Queries).RecordValue(Math.Clamp(microseconds, 1, MaxMicroseconds));
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            tally.Errors.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
        }
        finally
        {
            tally.Finished();
        }
    }

    private static OpenLoopLatency Figures(HistogramBase histogram, double seconds) => histogram.TotalCount == 0
        ? new OpenLoopLatency(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
        : new OpenLoopLatency(
            histogram.TotalCount,
            histogram.TotalCount / seconds,
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetMaxValue()),
            histogram.GetMean() / 1000);

    private static double Ms(long microseconds) => microseconds / 1000.0;

    /// <summary>What one schedule recorded: answers complete on any thread, so the histograms are the concurrent kind.</summary>
    private sealed class Tally
    {
        private long _inFlight;
        private long _maxInFlight;

        public HistogramBase Commands { get; } = new LongConcurrentHistogram(1, MaxMicroseconds, 3);

        public HistogramBase Queries { get; } = new LongConcurrentHistogram(1, MaxMicroseconds, 3);

        public ConcurrentDictionary<StatusCode, long> Errors { get; } = new();

        public long Issued { get; private set; }

        public long CommandsIssued { get; private set; }

        public long DispatchLagTicks { get; private set; }

        public long DispatchLagMaxTicks { get; private set; }

        public long MaxInFlight => Interlocked.Read(ref _maxInFlight);

        // On the dispatching loop only.
        public void Dispatched(long lagTicks)
        {
            Issued++;
            DispatchLagTicks += lagTicks;
            DispatchLagMaxTicks = Math.Max(DispatchLagMaxTicks, lagTicks);
        }

        public void Started(OperationKind kind)
        {
            if (kind == OperationKind.Command)
            {
                CommandsIssued++;
            }

            var now = Interlocked.Increment(ref _inFlight);
            for (var max = Interlocked.Read(ref _maxInFlight); now > max; max = Interlocked.Read(ref _maxInFlight))
            {
                Interlocked.CompareExchange(ref _maxInFlight, now, max);
            }
        }

        public void Finished() => Interlocked.Decrement(ref _inFlight);
    }
}
