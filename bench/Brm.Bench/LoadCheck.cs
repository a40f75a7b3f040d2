using System.Globalization;

namespace Brm.Bench;

/// <summary>
/// Whether the machine was quiet enough for the run's figures to be compared: the 1-minute load average
/// (<c>/proc/loadavg</c>) at most <see cref="Limit"/> at the start of the run and at its end. Above it, other work
/// (a build, a test run) took CPU from the service, its PostgreSQL or pgbench, unevenly: the report prints no ratio
/// and the run exits <see cref="BusyExitCode"/> (unless <c>--quick</c>, a smoke test).
/// </summary>
public static class LoadCheck
{
    public const double Limit = 1.5;

    public const int BusyExitCode = 3;

    // The run's own processes load the machine too; once they have stopped, their share of the 1-minute average
    // decays by e every minute. Three minutes take a share of 6 (16 callers, the service and PostgreSQL on 2 cores)
    // down to 0.3: what is left then is other work.
    private static readonly TimeSpan MaxSettle = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5); // the kernel updates the averages every 5 s

    /// <summary>The 1-minute figure of a "1 5 15" load average; null when unknown (no /proc/loadavg).</summary>
    public static double? OneMinute(string? loadAverage) =>
        loadAverage?.Split(' ') is [var first, ..] && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    public static bool IsBusy(string? loadAverage) => OneMinute(loadAverage) > Limit;

    /// <summary>
    /// The load average at the end of the run, read after the run's own processes have stopped: when it is above the
    /// limit, waits up to three minutes for their share to decay, and reads it then. No wait when the start was
    /// already busy (the verdict is made) nor with <c>--quick</c>.
    /// </summary>
    public static async Task<(string LoadAverage, double WaitedSeconds)> AtEndAsync(
        bool busyAtStart, bool quick, Action<string> progress, CancellationToken ct)
    {
        var load = MachineInfo.LoadAverage();
        if (busyAtStart || quick || !IsBusy(load))
        {
            return (load, 0);
        }

        progress($"waiting up to {MaxSettle.TotalSeconds:0} s for the run's own share of the 1-minute load average to decay (now {OneMinute(load):0.00}, limit {Limit})");
        var waited = TimeSpan.Zero;
        while (IsBusy(load) && waited < MaxSettle)
        {
            await Task.Delay(Poll, ct);
            waited += Poll;
            load = MachineInfo.LoadAverage();
        }

        return (load, waited.TotalSeconds);
    }
}
