using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;

namespace Brm.Api.Hosting;

/// <summary>
/// A private PostgreSQL cluster run from the machine's server binaries (<see cref="PostgresBinaries"/>, run by
/// <see cref="PostgresProcess"/>): created in <c>&lt;DataDirectory&gt;/pg</c> on first start, started on a free
/// loopback port on every start, stopped on dispose. Two roles: the superuser <c>brm</c> (password in
/// <c>pg-password</c>) only administers it (initdb, roles, databases); the service connects as <see cref="ServiceRole"/>
/// (password in <c>pg-service-password</c>). A cluster an earlier version made (everything owned by the superuser)
/// gets the role, and its objects, on start.
/// </summary>
public sealed partial class LocalPostgres(LocalPostgresOptions options, ILogger? logger = null) : IAsyncDisposable
{
    private const string Superuser = "brm";
    private const string Cluster = "pg"; // the paths handed to the binaries are relative to the data folder
    private const string SuperuserPasswordFile = "pg-password";
    private const string ServicePasswordFile = "pg-service-password";
    private const string LogFile = "pg.log";

    private PostgresProcess? _binaries;
    private string? _superuserPassword;
    private string? _servicePassword;
    private bool _started;

    public string DataDirectory { get; } = Path.GetFullPath(options.DataDirectory);

    /// <summary>The loopback TCP port of the running (or last run) server; 0 before the first start.</summary>
    public int Port { get; private set; }

    /// <summary>$BRM_DATA_DIR when set, else the per-user application data folder (~/.local/share/brm on Linux).</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("BRM_DATA_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "brm");

    /// <summary>
    /// Creates the cluster if needed and starts it (a server left running by an earlier process is stopped first; a
    /// restart of this instance keeps its port); ensures the service role and the database of the options. Returns the
    /// service role's connection string to that database.
    /// </summary>
    public async Task<string> StartAsync(CancellationToken ct = default)
    {
        if (_started && File.Exists(Path.Combine(DataDirectory, Cluster, "postmaster.pid")))
        {
            return ConnectionString(options.Database);
        }

        var binDirectory = options.BinDirectory ?? PostgresBinaries.Find();
        if (binDirectory is null || !PostgresBinaries.AreIn(binDirectory))
        {
            throw new LocalPostgresException(PostgresBinaries.MissingMessage);
        }

        _binaries = new PostgresProcess(binDirectory, DataDirectory);
        PrivateFiles.CreateDirectory(DataDirectory);
        var fresh = !File.Exists(Path.Combine(DataDirectory, Cluster, "PG_VERSION"));
        _superuserPassword = fresh ? NewPassword(SuperuserPasswordFile) : ReadPassword(SuperuserPasswordFile);
        _servicePassword = File.Exists(Path.Combine(DataDirectory, ServicePasswordFile)) ? ReadPassword(ServicePasswordFile) : NewPassword(ServicePasswordFile);
        if (PostgresProcess.RunsAsRoot)
        {
            await _binaries.GiveToPostgresUserAsync([Cluster, SuperuserPasswordFile, LogFile], ct);
        }

        if (fresh)
        {
            await InitializeClusterAsync(ct);
        }

        if (!_started && File.Exists(Path.Combine(DataDirectory, Cluster, "postmaster.pid")) && (await PgCtlAsync(["status"], ct)).ExitCode == 0)
        {
            await StopAsync(); // left running by an earlier process, killed before it could stop it
        }

        Port = Port != 0 ? Port : FreeLoopbackPort();
        var start = await PgCtlAsync(["start", "-w", "-t", "60", "-l", LogFile, "-o", ServerOptions()], ct);
        if (start.ExitCode != 0)
        {
            throw Failure("pg_ctl start", start);
        }

        _started = true;
        await using (var admin = await OpenAdminConnectionAsync("postgres", ct))
        {
            await ServiceRole.EnsureAsync(admin, _servicePassword!, ct);
        }

        await CreateDatabaseAsync(options.Database, ct);
        logger?.LogInformation("PostgreSQL keeps the BRM data in {DataDirectory} and listens on 127.0.0.1:{Port}", DataDirectory, Port);
        return ConnectionString(options.Database);
    }

    /// <summary>
    /// Ensures the database <paramref name="name"/>, owned by the service role with everything in it (a database an
    /// earlier version made is handed over); returns the service role's connection string to it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var database = QuoteIdentifier(name);
        await using (var admin = await OpenAdminConnectionAsync("postgres", ct))
        {
            try
            {
                await ServiceRole.ExecuteAsync(admin, $"create database {database} owner {ServiceRole.Name}", ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                await ServiceRole.ExecuteAsync(admin, $"alter database {database} owner to {ServiceRole.Name}", ct); // it exists (an earlier version's, perhaps)
            }
        }

        await using (var inside = await OpenAdminConnectionAsync(name, ct))
        {
            await ServiceRole.TakeOverAsync(inside, ct);
        }

        return ConnectionString(name);
    }

    /// <summary>The service role's connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => Connection(database, ServiceRole.Name, _servicePassword);

    /// <summary>The superuser's connection string to <paramref name="database"/>: for administration, never for the service.</summary>
    public string AdminConnectionString(string database) => Connection(database, Superuser, _superuserPassword);

    /// <summary>Stops the server (fast shutdown) if it runs.</summary>
    public async Task StopAsync()
    {
        if (_binaries is null || !File.Exists(Path.Combine(DataDirectory, Cluster, "postmaster.pid")))
        {
            return;
        }

        var stop = await PgCtlAsync(["stop", "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
        if (stop.ExitCode != 0 && (await PgCtlAsync(["status"], CancellationToken.None)).ExitCode == 0)
        {
            throw Failure("pg_ctl stop", stop);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private string Connection(string database, string role, string? password)
    {
        if (Port == 0 || password is null)
        {
            throw new InvalidOperationException("The local PostgreSQL cluster has not been started.");
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = role, Password = password, Database = database,
        }.ConnectionString;
    }

    // Only words and numbers: pg_ctl hands them to /bin/sh. No Unix socket: every connection is over loopback TCP.
    private string ServerOptions()
    {
        var settings = new Dictionary<string, string> { ["listen_addresses"] = "127.0.0.1" };
        foreach (var (name, value) in options.ServerSettings ?? new Dictionary<string, string>())
        {
            settings[name] = Word().IsMatch(name) && Word().IsMatch(value)
                ? value
                : throw new ArgumentException($"The server setting {name}={value} is not a plain word: only letters, digits, '_' and '.' are allowed.");
        }

        return $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k '' " + string.Join(' ', settings.Select(s => $"-c {s.Key}={s.Value}"));
    }

    private async Task InitializeClusterAsync(CancellationToken ct)
    {
        string[] arguments =
        [
            "-D", Cluster, $"--username={Superuser}", $"--pwfile={SuperuserPasswordFile}",
            "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--encoding=UTF8",
        ];
        var withLocale = await _binaries!.RunAsync("initdb", [.. arguments, "--locale=C.UTF-8"], ct);
        if (withLocale.ExitCode == 0)
        {
            return;
        }

        // No C.UTF-8 locale on this machine (initdb cleans up after a failure): fall back to the plain C locale.
        var withoutLocale = await _binaries.RunAsync("initdb", [.. arguments, "--no-locale"], ct);
        if (withoutLocale.ExitCode != 0)
        {
            throw Failure("initdb", withoutLocale with { Output = withLocale.Output + withoutLocale.Output });
        }
    }

    private async Task<NpgsqlConnection> OpenAdminConnectionAsync(string database, CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString(database)) { Pooling = false, Timeout = 5 }.ConnectionString;
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

    private Task<ProcessResult> PgCtlAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        _binaries!.RunAsync("pg_ctl", [.. arguments, "-D", Cluster], ct);

    private string NewPassword(string file)
    {
        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        PrivateFiles.Write(Path.Combine(DataDirectory, file), password);
        return password;
    }

    private string ReadPassword(string file)
    {
        var path = Path.Combine(DataDirectory, file);
        return File.Exists(path)
            ? File.ReadAllText(path).Trim()
            : throw new LocalPostgresException($"{path} is missing, so the superuser's password of the cluster in {Path.Combine(DataDirectory, Cluster)} is unknown.");
    }

    private LocalPostgresException Failure(string what, ProcessResult result) =>
        new($"{what} failed (exit code {result.ExitCode}) for {Path.Combine(DataDirectory, Cluster)}:{Environment.NewLine}{Tail(result.Output)}{LogTail()}");

    private string LogTail()
    {
        var path = Path.Combine(DataDirectory, LogFile);
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - 16_384), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return $"{Environment.NewLine}--- {path} ---{Environment.NewLine}{Tail(reader.ReadToEnd())}";
    }

    private static string Tail(string text, int lines = 20) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));

    private static string QuoteIdentifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex("^[A-Za-z0-9_.]+$")]
    private static partial Regex Word();
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
