using System.Diagnostics;
using System.Globalization;

namespace Brm.Bench;

/// <summary>
/// CPU time (user + system, in seconds) used so far by the service process, by its PostgreSQL (the postmaster, its
/// live backends and the backends it has reaped) and by this client. On a shared machine, CPU spent per call says
/// more than wall time: other people's work inflates latency, not the CPU a call costs.
/// </summary>
public sealed record CpuTime(double Service, double Postgres, double Client)
{
    private const double TicksPerSecond = 100; // USER_HZ: /proc reports CPU time in these on every Linux

    public static CpuTime Now(ServerProcess server) => new(
        ProcessSeconds(server.Pid, withReapedChildren: false),
        PostgresSeconds(server.PostmasterPid()),
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

    public CpuTime Since(CpuTime start) => new(Service - start.Service, Postgres - start.Postgres, Client - start.Client);

    /// <summary>Milliseconds of each per unit of work (a call, a transaction, an event).</summary>
    public CpuTime PerUnitMs(double units) => units <= 0
        ? new CpuTime(double.NaN, double.NaN, double.NaN)
        : new CpuTime(Service * 1000 / units, Postgres * 1000 / units, Client * 1000 / units);

    private static double PostgresSeconds(int postmaster) =>
        ProcessSeconds(postmaster, withReapedChildren: true)
        + Directory.EnumerateDirectories("/proc")
            .Select(d => Path.GetFileName(d))
            .Where(name => name.All(char.IsAsciiDigit))
            .Select(name => Stat(int.Parse(name, CultureInfo.InvariantCulture)))
            .Where(stat => stat is not null && stat[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            .Sum(stat => Seconds(stat!, withReapedChildren: false));

    private static double ProcessSeconds(int pid, bool withReapedChildren) =>
        Stat(pid) is { } stat ? Seconds(stat, withReapedChildren) : 0;

    // Fields of /proc/<pid>/stat after "(comm)": 0 state, 1 ppid, ... 11 utime, 12 stime, 13 cutime, 14 cstime.
    private static double Seconds(string[] stat, bool withReapedChildren) =>
        Enumerable.Range(11, withReapedChildren ? 4 : 2).Sum(i => long.Parse(stat[i], CultureInfo.InvariantCulture)) / TicksPerSecond;

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // it ended meanwhile
        }
    }
}
