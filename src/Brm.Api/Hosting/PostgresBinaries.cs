using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Brm.Api.Hosting;

/// <summary>The machine's PostgreSQL server binaries (initdb, pg_ctl and the server beside them): where they are.</summary>
public static class PostgresBinaries
{
    public const string MissingMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found: install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; "
        + "macOS: brew install postgresql@16), or set ConnectionStrings__Marten to use an existing database.";

    private static readonly string ExeSuffix = OperatingSystem.IsWindows() ? ".exe" : "";

    /// <summary>A folder holding pg_ctl and initdb: on PATH, from pg_config, or in the usual places; null if none.</summary>
    public static string? Find() => CandidateDirectories().FirstOrDefault(AreIn);

    /// <summary>True when <paramref name="directory"/> holds pg_ctl and initdb.</summary>
    public static bool AreIn(string directory) => File.Exists(PathOf(directory, "pg_ctl")) && File.Exists(PathOf(directory, "initdb"));

    /// <summary>The path of the binary <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string name) => Path.Combine(directory, name + ExeSuffix);

    private static IEnumerable<string> CandidateDirectories()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.GetFullPath(directory);
        }

        if (PgConfigBinDirectory() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }

        foreach (var version in NewestFirst("/usr/lib/postgresql", ""))
        {
            yield return Path.Combine(version, "bin");
        }

        yield return "/usr/local/pgsql/bin";
        foreach (var formula in NewestFirst("/opt/homebrew/opt", "postgresql@").Concat(NewestFirst("/usr/local/opt", "postgresql@")))
        {
            yield return Path.Combine(formula, "bin");
        }

        yield return "/opt/homebrew/bin";
        yield return "/usr/local/bin";
    }

    // The subfolders named <prefix><version>, highest version first.
    private static IEnumerable<string> NewestFirst(string parent, string prefix) =>
        !Directory.Exists(parent)
            ? []
            : Directory.GetDirectories(parent, prefix + "*")
                .OrderByDescending(path => decimal.TryParse(Path.GetFileName(path)[prefix.Length..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var version) ? version : -1);

    private static string? PgConfigBinDirectory()
    {
        var startInfo = new ProcessStartInfo("pg_config") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("--bindir");
        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return null;
            }

            _ = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }
}
