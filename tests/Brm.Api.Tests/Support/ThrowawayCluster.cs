using System.Diagnostics;
using System.Globalization;
using Brm.Api.Hosting;

namespace Brm.Api.Tests.Support;

/// <summary>
/// A <see cref="LocalPostgres"/> cluster for tests: in a fresh temp folder, fsync off, stopped at once and deleted on
/// dispose. Clusters that earlier test runs left behind (a runner may kill a process before it disposes its cluster)
/// are stopped and deleted first. With <c>survivesServerCrash</c>, commits are synchronous, so every acknowledged
/// commit survives a crash of the server's processes (<see cref="CrashAsync"/>), though not of the machine.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private const string Prefix = "brm-test-";
    private const string OwnerFile = "owner-pid";

    private readonly PostgresProcess _binaries;

    private ThrowawayCluster(LocalPostgres cluster, PostgresProcess binaries)
    {
        Cluster = cluster;
        _binaries = binaries;
    }

    public LocalPostgres Cluster { get; }

    public static async Task<ThrowawayCluster> StartAsync(bool survivesServerCrash = false)
    {
        var binDirectory = PostgresBinaries.Find() ?? throw new LocalPostgresException(PostgresBinaries.MissingMessage);
        await DeleteAbandonedAsync(binDirectory);

        var directory = Path.Combine(Path.GetTempPath(), $"{Prefix}{Guid.NewGuid():N}");
        PrivateFiles.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var settings = new Dictionary<string, string> { ["fsync"] = "off", ["full_page_writes"] = "off" };
        if (!survivesServerCrash)
        {
            settings["synchronous_commit"] = "off";
        }

        var throwaway = new ThrowawayCluster(
            new LocalPostgres(new LocalPostgresOptions(directory, binDirectory, ServerSettings: settings)), new PostgresProcess(binDirectory, directory));
        try
        {
            await throwaway.Cluster.StartAsync();
            return throwaway;
        }
        catch
        {
            await throwaway.DisposeAsync();
            throw;
        }
    }

    /// <summary>A database of its own, owned by the service role; the service role's connection string to it.</summary>
    public Task<string> CreateDatabaseAsync(string name) => Cluster.CreateDatabaseAsync(name);

    /// <summary>
    /// Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>: no checkpoint, every connection
    /// cut). <see cref="RestartAsync"/> then recovers from the write-ahead log.
    /// </summary>
    public Task CrashAsync() => StopImmediatelyAsync(_binaries, Cluster.DataDirectory);

    /// <summary>Starts the server again, on the same port, so connection strings handed out before stay good.</summary>
    public Task RestartAsync() => Cluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await CrashAsync(); // its data is not kept, so it need not be shut down cleanly
        if (Directory.Exists(Cluster.DataDirectory))
        {
            Directory.Delete(Cluster.DataDirectory, recursive: true);
        }
    }

    private static async Task StopImmediatelyAsync(PostgresProcess binaries, string directory)
    {
        if (File.Exists(Path.Combine(directory, "pg", "postmaster.pid")))
        {
            var stop = await binaries.RunAsync("pg_ctl", ["stop", "-m", "immediate", "-w", "-t", "60", "-D", "pg"], CancellationToken.None);
            if (stop.ExitCode != 0 && File.Exists(Path.Combine(directory, "pg", "postmaster.pid")))
            {
                throw new LocalPostgresException($"pg_ctl stop -m immediate failed in {directory}: {stop.Output}");
            }
        }
    }

    private static async Task DeleteAbandonedAsync(string binDirectory)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            try
            {
                if (IsAbandoned(directory))
                {
                    await StopImmediatelyAsync(new PostgresProcess(binDirectory, directory), directory);
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or LocalPostgresException)
            {
                // Another process is deleting it, or it is not ours to delete.
            }
        }
    }

    // Abandoned: its owner process is gone (or, without an owner file, it is stopped and 15 minutes old).
    private static bool IsAbandoned(string directory)
    {
        var owner = Path.Combine(directory, OwnerFile);
        if (!File.Exists(owner))
        {
            return Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-15)
                && !File.Exists(Path.Combine(directory, "pg", "postmaster.pid"));
        }

        if (!int.TryParse(File.ReadAllText(owner), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return false;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }
}
