using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// How hard the reliability tests push (environment variables, so CI and a long local soak share one code path),
/// and where they write the figures of each run (calls made, faults injected, events checked, lost).
/// </summary>
public static class Stress
{
    /// <summary>Seconds each race, crash or fault run lasts: <c>BRM_STRESS_SECONDS</c>, default 3.</summary>
    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(Number("BRM_STRESS_SECONDS", 3));

    /// <summary>Seconds the fault-injection runs last (cut connections): <c>BRM_FAULT_SECONDS</c>, default 8.</summary>
    public static TimeSpan FaultDuration { get; } = TimeSpan.FromSeconds(Number("BRM_FAULT_SECONDS", 8));

    /// <summary>A whole number from the environment variable <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public static int Count(string name, int fallback) => (int)Number(name, fallback);

    /// <summary>Concurrent writers in a race: <c>BRM_STRESS_WRITERS</c>, default 32.</summary>
    public static int Writers { get; } = (int)Number("BRM_STRESS_WRITERS", 32);

    /// <summary>Concurrent writers while the database crashes: <c>BRM_CRASH_WRITERS</c>, default 6.</summary>
    public static int CrashWriters { get; } = (int)Number("BRM_CRASH_WRITERS", 6);

    /// <summary>How long the crashed database stays down: <c>BRM_CRASH_OUTAGE_SECONDS</c>, default 2.</summary>
    public static TimeSpan OutageDuration { get; } = TimeSpan.FromSeconds(Number("BRM_CRASH_OUTAGE_SECONDS", 2));

    /// <summary>Generated cases per request message in the hostile-input properties: <c>BRM_HOSTILE_CASES</c>, default 40.</summary>
    public static int HostileCases { get; } = (int)Number("BRM_HOSTILE_CASES", 40);

    /// <summary>Writers appending while the feed consumers are cut and resumed: <c>BRM_FEED_WRITERS</c>, default 8.</summary>
    public static int FeedWriters { get; } = (int)Number("BRM_FEED_WRITERS", 8);

    /// <summary>The file the figures go to: <c>BRM_RELIABILITY_FIGURES</c>, else reliability-figures.txt next to the tests.</summary>
    public static string FiguresFile { get; } = Environment.GetEnvironmentVariable("BRM_RELIABILITY_FIGURES") is { Length: > 0 } path
        ? path
        : Path.Combine(AppContext.BaseDirectory, "reliability-figures.txt");

    private static readonly Lock FiguresLock = new();

    /// <summary>Appends one line of figures for <paramref name="test"/>.</summary>
    public static void Record(string test, string figures)
    {
        lock (FiguresLock)
        {
            File.AppendAllText(FiguresFile, $"{test}: {figures}{Environment.NewLine}");
        }
    }

    /// <summary>Runs <paramref name="writers"/> loops of <paramref name="call"/> until <see cref="Duration"/> passes.</summary>
    public static async Task<Tally> RaceAsync(int writers, Func<int, Task> call)
    {
        var tally = new Tally();
        using var stop = new CancellationTokenSource(Duration);
        var counter = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref counter);
                try
                {
                    await call(n);
                    tally.Add(StatusCode.OK);
                }
                catch (RpcException e)
                {
                    tally.Add(e.StatusCode, e.Status.Detail);
                }
            }
        })));
        return tally;
    }

    private static double Number(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}

/// <summary>How many calls ended with each status, and one message per status for the assertions.</summary>
public sealed class Tally
{
    private readonly ConcurrentDictionary<StatusCode, int> _counts = new();
    private readonly ConcurrentDictionary<StatusCode, string> _examples = new();

    public void Add(StatusCode code, string detail = "")
    {
        _counts.AddOrUpdate(code, 1, (_, n) => n + 1);
        _examples.TryAdd(code, detail);
    }

    public int this[StatusCode code] => _counts.GetValueOrDefault(code);

    public int Total => _counts.Values.Sum();

    /// <summary>The statuses seen other than <paramref name="allowed"/>, each with an example message.</summary>
    public IReadOnlyList<string> Unexpected(params StatusCode[] allowed) =>
        _counts.Keys.Except(allowed).Select(c => $"{c} x{_counts[c]}: {_examples[c]}").ToList();

    public override string ToString() => string.Join(", ", _counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));
}
