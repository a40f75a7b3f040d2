using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.Versioning;

namespace Brm.Api.Hosting;

/// <summary>
/// Runs the PostgreSQL binaries of <paramref name="binDirectory"/>, each to its end, with its arguments in
/// <see cref="ProcessStartInfo.ArgumentList"/> (no shell) and <paramref name="workingDirectory"/> (the data folder) as
/// working directory, so that the paths they are given are relative (<c>pg</c>, <c>pg.log</c>): <c>pg_ctl start</c>
/// hands its command line to /bin/sh, and only fixed words and numbers may reach it. As root, they run as the
/// <c>postgres</c> user (PostgreSQL refuses to run as root), to whom <see cref="GiveToPostgresUserAsync"/> hands the folder.
/// </summary>
public sealed class PostgresProcess(string binDirectory, string workingDirectory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90); // pg_ctl itself gives up after 60 s

    [UnsupportedOSPlatformGuard("windows")]
    public static bool RunsAsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Runs the binary <paramref name="name"/> (e.g. <c>pg_ctl</c>) with <paramref name="arguments"/>; its exit code and output.</summary>
    public Task<ProcessResult> RunAsync(string name, IEnumerable<string> arguments, CancellationToken ct)
    {
        var path = PostgresBinaries.PathOf(binDirectory, name);
        return RunsAsRoot ? RunFileAsync("runuser", ["-u", "postgres", "--", path, .. arguments], ct) : RunFileAsync(path, arguments, ct);
    }

    /// <summary>
    /// As root: gives the working directory and, recursively, <paramref name="inside"/> (those of its paths that
    /// exist) to the postgres user, and lets it through the folders above.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public async Task GiveToPostgresUserAsync(IEnumerable<string> inside, CancellationToken ct)
    {
        for (var parent = Path.GetDirectoryName(workingDirectory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            var mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
            }
        }

        await ChownAsync(["postgres:postgres", workingDirectory]);
        var existing = inside.Select(path => Path.Combine(workingDirectory, path)).Where(Path.Exists).ToArray();
        if (existing.Length > 0)
        {
            await ChownAsync(["-R", "postgres:postgres", .. existing]);
        }

        async Task ChownAsync(string[] arguments)
        {
            var chown = await RunFileAsync("chown", arguments, ct);
            if (chown.ExitCode != 0)
            {
                throw new LocalPostgresException($"chown {string.Join(' ', arguments)} failed (exit code {chown.ExitCode}): {chown.Output.Trim()}");
            }
        }
    }

    private async Task<ProcessResult> RunFileAsync(string file, IEnumerable<string> arguments, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false, WorkingDirectory = workingDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var description = string.Join(' ', startInfo.ArgumentList.Prepend(file));
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new LocalPostgresException($"{description} could not be started: {e.Message}", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new ProcessResult(process.ExitCode, await output + await error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new LocalPostgresException($"{description} did not finish within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}

/// <summary>How a PostgreSQL binary ended: its exit code and what it printed.</summary>
public readonly record struct ProcessResult(int ExitCode, string Output);
