using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Npgsql;

namespace Brm.Api.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's server binaries: created in <c>&lt;DataDirectory&gt;/pg</c> on
/// first start (superuser <c>brm</c>, random password in <c>pg-password</c>), started on a free loopback port on every
/// start, stopped on dispose. As root, the server binaries run as the <c>postgres</c> user, which owns the cluster.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string MissingBinariesMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found: install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; "
        + "macOS: brew install postgresql@16), or set ConnectionStrings__Marten to use an existing database.";

    private const string Superuser = "brm";
    private const string ThrowawayPrefix = "brm-test-";
    private const string OwnerFile = "owner-pid";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90); // pg_ctl itself gives up after 60 s
    private static readonly string ExeSuffix = OperatingSystem.IsWindows() ? ".exe" : "";

    private readonly LocalPostgresOptions _options;
    private readonly ILogger? _logger;
    private readonly bool _deleteOnDispose;
    private string? _binDirectory;
    private string? _password;
    private bool _running;

    public LocalPostgres(LocalPostgresOptions options, ILogger? logger = null)
        : this(options, logger, deleteOnDispose: false)
    {
    }

    private LocalPostgres(LocalPostgresOptions options, ILogger? logger, bool deleteOnDispose)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _deleteOnDispose = deleteOnDispose;
        DataDirectory = Path.GetFullPath(options.DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>The loopback TCP port of the running (or last run) server; 0 before the first start.</summary>
    public int Port { get; private set; }

    private string ClusterDirectory => Path.Combine(DataDirectory, "pg");
    private string PasswordFile => Path.Combine(DataDirectory, "pg-password");
    private string LogFile => Path.Combine(DataDirectory, "pg.log");

    // A Unix socket path may not exceed ~107 bytes; past that the socket goes to the temp folder.
    private string SocketDirectory => Path.Combine(DataDirectory, "run") is { Length: <= 90 } inside ? inside : Path.GetTempPath();

    [UnsupportedOSPlatformGuard("windows")]
    private static bool RunsAsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>$BRM_DATA_DIR when set, else the per-user application data folder (~/.local/share/brm on Linux).</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("BRM_DATA_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "brm");

    /// <summary>A folder holding pg_ctl and initdb: on PATH, from pg_config, or in the usual places; null if none.</summary>
    public static string? FindBinDirectory() => CandidateBinDirectories().FirstOrDefault(HasServerBinaries);

    /// <summary>
    /// A cluster in a fresh temp folder, fsync off, whose folder is deleted on dispose. Clusters that earlier processes
    /// left behind (test runners may kill a process before it disposes its cluster) are stopped and deleted first.
    /// With <paramref name="survivesServerCrash"/>, commits are synchronous, so every acknowledged commit survives a
    /// crash of the server's processes (<see cref="CrashAsync"/>), though not of the machine.
    /// </summary>
    public static async Task<LocalPostgres> StartThrowawayAsync(bool survivesServerCrash = false, CancellationToken ct = default)
    {
        if (FindBinDirectory() is { } binDirectory)
        {
            await DeleteAbandonedThrowawaysAsync(binDirectory);
        }

        var directory = Path.Combine(Path.GetTempPath(), $"{ThrowawayPrefix}{Guid.NewGuid():N}");
        PrivateFiles.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct);
        var cluster = new LocalPostgres(new LocalPostgresOptions(directory, Durable: false, SurvivesServerCrash: survivesServerCrash), logger: null, deleteOnDispose: true);
        try
        {
            await cluster.StartAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the cluster if needed, starts it and the database of the options; returns its connection string.</summary>
    public async Task<string> StartAsync(CancellationToken ct = default)
    {
        if (_running)
        {
            return ConnectionString(_options.Database);
        }

        _binDirectory = _options.BinDirectory ?? FindBinDirectory();
        if (_binDirectory is null || !HasServerBinaries(_binDirectory))
        {
            throw new LocalPostgresException(MissingBinariesMessage);
        }

        PrivateFiles.CreateDirectory(DataDirectory);
        if (SocketDirectory.StartsWith(DataDirectory, StringComparison.Ordinal))
        {
            PrivateFiles.CreateDirectory(SocketDirectory);
        }

        var fresh = !File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION"));
        if (fresh)
        {
            PrivateFiles.Write(PasswordFile, RandomNumberGenerator.GetHexString(32, lowercase: true));
        }

        if (RunsAsRoot)
        {
            await GiveToPostgresUserAsync(ct);
        }

        if (fresh)
        {
            await InitializeClusterAsync(ct);
        }

        _password = File.Exists(PasswordFile)
            ? (await File.ReadAllTextAsync(PasswordFile, ct)).Trim()
            : throw new LocalPostgresException($"{PasswordFile} is missing, so the superuser password of the cluster in {ClusterDirectory} is unknown.");

        // A server left running by an earlier process (killed before it could stop it): stop it, start afresh.
        if (File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")) && (await PgCtlAsync(["status"], ct)).ExitCode == 0)
        {
            await StopServerAsync(ct);
        }

        // A restart of the same instance keeps its port, so connection strings handed out before stay good.
        Port = Port != 0 ? Port : FreeLoopbackPort();
        var serverOptions = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {ShellQuote(SocketDirectory)}";
        if (!_options.Durable)
        {
            serverOptions += " -c fsync=off -c full_page_writes=off" + (_options.SurvivesServerCrash ? "" : " -c synchronous_commit=off");
        }

        var start = await PgCtlAsync(["start", "-w", "-t", "60", "-l", LogFile, "-o", serverOptions], ct);
        if (start.ExitCode != 0)
        {
            throw Failure("pg_ctl start", start, withLog: true);
        }

        _running = true;
        await EnsureDatabaseAsync(_options.Database, ct);
        _logger?.LogInformation("PostgreSQL keeps the BRM data in {DataDirectory} and listens on 127.0.0.1:{Port}", DataDirectory, Port);
        return ConnectionString(_options.Database);
    }

    /// <summary>Creates the database if it does not exist yet; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_running)
        {
            throw new InvalidOperationException("The local PostgreSQL cluster is not running: call StartAsync first.");
        }

        await EnsureDatabaseAsync(name, ct);
        return ConnectionString(name);
    }

    public string ConnectionString(string database)
    {
        if (Port == 0 || _password is null)
        {
            throw new InvalidOperationException("The local PostgreSQL cluster has not been started.");
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = Superuser, Password = _password, Database = database,
        }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown; immediate for a throw-away cluster) if this instance started it.</summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            await StopServerAsync(CancellationToken.None);
            _running = false;
        }
    }

    /// <summary>
    /// Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>: no checkpoint, every connection cut),
    /// if this instance started it. The next <see cref="StartAsync"/> recovers from the write-ahead log, on the same port.
    /// </summary>
    public async Task CrashAsync()
    {
        if (_running)
        {
            await StopServerAsync("immediate", CancellationToken.None);
            _running = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_deleteOnDispose && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task InitializeClusterAsync(CancellationToken ct)
    {
        string[] arguments =
        [
            "-D", ClusterDirectory, $"--username={Superuser}", $"--pwfile={PasswordFile}",
            "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--encoding=UTF8",
        ];
        var withLocale = await RunServerBinaryAsync("initdb", [.. arguments, "--locale=C.UTF-8"], ct);
        if (withLocale.ExitCode == 0)
        {
            return;
        }

        // No C.UTF-8 locale on this machine (initdb cleans up after a failure): fall back to the plain C locale.
        var withoutLocale = await RunServerBinaryAsync("initdb", [.. arguments, "--no-locale"], ct);
        if (withoutLocale.ExitCode != 0)
        {
            throw Failure("initdb", withoutLocale with { Output = withLocale.Output + withoutLocale.Output }, withLog: false);
        }
    }

    // A throw-away cluster's data is not kept, so it need not be shut down cleanly.
    private Task StopServerAsync(CancellationToken ct) => StopServerAsync(_deleteOnDispose ? "immediate" : "fast", ct);

    private async Task StopServerAsync(string mode, CancellationToken ct)
    {
        var stop = await PgCtlAsync(["stop", "-m", mode, "-w", "-t", "60"], ct);
        if (stop.ExitCode != 0 && (await PgCtlAsync(["status"], ct)).ExitCode == 0)
        {
            throw Failure("pg_ctl stop", stop, withLog: true);
        }
    }

    private static async Task DeleteAbandonedThrowawaysAsync(string binDirectory)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), ThrowawayPrefix + "*"))
        {
            try
            {
                if (IsAbandoned(directory))
                {
                    // Disposing it stops its server, if running, and deletes the folder.
                    await using var abandoned = new LocalPostgres(new LocalPostgresOptions(directory), logger: null, deleteOnDispose: true)
                    {
                        _binDirectory = binDirectory, _running = File.Exists(Path.Combine(directory, "pg", "postmaster.pid")),
                    };
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

    private async Task EnsureDatabaseAsync(string name, CancellationToken ct)
    {
        await using var connection = await OpenAdminConnectionAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = name } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Created meanwhile by a concurrent caller.
        }
    }

    private async Task<NpgsqlConnection> OpenAdminConnectionAsync(CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false, Timeout = 5 }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch (NpgsqlException e) when (e is not PostgresException postgres || postgres.SqlState == PostgresErrorCodes.CannotConnectNow)
            {
                await connection.DisposeAsync();
                if (attempt == 20)
                {
                    throw new LocalPostgresException($"PostgreSQL on 127.0.0.1:{Port} does not accept connections: {e.Message}{LogTail()}", e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    // PostgreSQL refuses to run as root: as root, the postgres user gets the data folder (and a way to reach it).
    [UnsupportedOSPlatform("windows")]
    private async Task GiveToPostgresUserAsync(CancellationToken ct)
    {
        for (var parent = Path.GetDirectoryName(DataDirectory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            var mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
            }
        }

        // The folder itself, and recursively only what this class puts in it.
        await ChownAsync(["postgres:postgres", DataDirectory]);
        var ours = new[] { ClusterDirectory, SocketDirectory, PasswordFile, LogFile }
            .Where(path => path.StartsWith(DataDirectory + "/", StringComparison.Ordinal) && Path.Exists(path))
            .ToArray();
        if (ours.Length > 0)
        {
            await ChownAsync(["-R", "postgres:postgres", .. ours]);
        }

        async Task ChownAsync(string[] arguments)
        {
            var chown = await RunAsync("chown", arguments, ct);
            if (chown.ExitCode != 0)
            {
                throw Failure("chown", chown, withLog: false);
            }
        }
    }

    private Task<ProcessResult> PgCtlAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        RunServerBinaryAsync("pg_ctl", [.. arguments, "-D", ClusterDirectory], ct);

    private Task<ProcessResult> RunServerBinaryAsync(string name, IEnumerable<string> arguments, CancellationToken ct)
    {
        var path = Path.Combine(_binDirectory!, name + ExeSuffix);
        return RunsAsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], ct) : RunAsync(path, arguments, ct);
    }

    private async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false, WorkingDirectory = DataDirectory,
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
        timeout.CancelAfter(ProcessTimeout);
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
            throw new LocalPostgresException($"{description} did not finish within {ProcessTimeout.TotalSeconds:0} seconds.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private LocalPostgresException Failure(string what, ProcessResult result, bool withLog) =>
        new($"{what} failed (exit code {result.ExitCode}) for {ClusterDirectory}:{Environment.NewLine}{Tail(result.Output)}"
            + (withLog ? LogTail() : ""));

    private string LogTail()
    {
        if (!File.Exists(LogFile))
        {
            return "";
        }

        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - 16_384), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return $"{Environment.NewLine}--- {LogFile} ---{Environment.NewLine}{Tail(reader.ReadToEnd())}";
    }

    private static string Tail(string text, int lines = 20) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));

    // pg_ctl hands the -o options to /bin/sh.
    private static string ShellQuote(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static IEnumerable<string> CandidateBinDirectories()
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
        var startInfo = new ProcessStartInfo("pg_config", "--bindir") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
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

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "pg_ctl" + ExeSuffix)) && File.Exists(Path.Combine(directory, "initdb" + ExeSuffix));

    private readonly record struct ProcessResult(int ExitCode, string Output);
}

/// <summary>The local PostgreSQL cluster could not be created, started or stopped; the message says why.</summary>
public sealed class LocalPostgresException : Exception
{
    public LocalPostgresException()
    {
    }

    public LocalPostgresException(string message)
        : base(message)
    {
    }

    public LocalPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
