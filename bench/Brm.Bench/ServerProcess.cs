using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Npgsql;

namespace Brm.Bench;

/// <summary>
/// The service as its users run it: src/Brm.Api built in Release, started as its own process on its local-PostgreSQL
/// default (a private cluster in <see cref="DataDirectory"/>), on a free loopback port, in the Production environment
/// with development tokens asked for (<c>Auth__AllowDevTokens</c>); stopped with SIGTERM, on which it stops its PostgreSQL.
/// With its web app, it listens as its default endpoints do: gRPC (HTTP/2) on one port, HTTP/1.1 (the app) on another.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    private readonly Process _process;
    private readonly Task _logCopy;
    private readonly string _dll;

    private ServerProcess(Process process, Task logCopy, string dll, string dataDirectory, string logFile, Uri address, Uri? webAddress)
    {
        _process = process;
        _logCopy = logCopy;
        _dll = dll;
        DataDirectory = dataDirectory;
        LogFile = logFile;
        Address = address;
        WebAddress = webAddress;
    }

    public string DataDirectory { get; }

    /// <summary>The service's console output (and its PostgreSQL's log is in &lt;data&gt;/pg.log).</summary>
    public string LogFile { get; }

    public Uri Address { get; }

    /// <summary>The HTTP/1.1 endpoint serving the web app at <c>/</c>, when started with it.</summary>
    public Uri? WebAddress { get; }

    public int Pid => _process.Id;

    /// <summary>From process start to grpc.health.v1 SERVING.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// The service dll that <paramref name="service"/> (<see cref="BenchOptions.Service"/>) names: src/Brm.Api published
    /// into <paramref name="output"/>, or built, or a given dll as it is.
    /// </summary>
    public static async Task<string> PrepareAsync(string service, string repository, string output, Action<string> progress, CancellationToken ct)
    {
        switch (service)
        {
            case "published":
                progress("publishing src/Brm.Api in Release (ReadyToRun, as deployed)");
                return await PublishAsync(repository, output, ct);
            case "built":
                progress("building src/Brm.Api in Release");
                return await BuildAsync(repository, ct);
            default:
                progress($"running the service at {service} as it is");
                return File.Exists(service) ? Path.GetFullPath(service) : throw new BenchException($"--service: no such file {service}");
        }
    }

    /// <summary>Builds src/Brm.Api in Release; returns its dll.</summary>
    public static async Task<string> BuildAsync(string repository, CancellationToken ct)
    {
        var project = Path.Combine(repository, "src", "Brm.Api", "Brm.Api.csproj");
        var build = await Processes.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"], ct);
        if (build.ExitCode != 0)
        {
            throw new BenchException($"building {project} failed:{Environment.NewLine}{build.Output}");
        }

        return new DirectoryInfo(Path.Combine(repository, "src", "Brm.Api", "bin", "Release"))
            .EnumerateFiles("Brm.Api.dll", SearchOption.AllDirectories)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .FirstOrDefault()?.FullName
            ?? throw new BenchException("the Release build of src/Brm.Api produced no Brm.Api.dll");
    }

    /// <summary>
    /// Publishes src/Brm.Api in Release to <paramref name="output"/>, as a deployment would (the web app trimmed, its
    /// files precompressed); returns its dll.
    /// </summary>
    public static async Task<string> PublishAsync(string repository, string output, CancellationToken ct)
    {
        var project = Path.Combine(repository, "src", "Brm.Api", "Brm.Api.csproj");
        var publish = await Processes.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "quiet"], ct);
        var dll = Path.Combine(output, "Brm.Api.dll");
        return publish.ExitCode == 0 && File.Exists(dll)
            ? dll
            : throw new BenchException($"publishing {project} failed:{Environment.NewLine}{publish.Output}");
    }

    /// <summary>
    /// Starts the service on <paramref name="dataDirectory"/> and waits until its health is SERVING; with
    /// <paramref name="webApp"/>, with an HTTP/1.1 endpoint too (<see cref="WebAddress"/>), as browsers need.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dll, string dataDirectory, CancellationToken ct, bool webApp = false)
    {
        var port = FreeLoopbackPort();
        var webPort = port;
        while (webApp && webPort == port)
        {
            webPort = FreeLoopbackPort();
        }

        var address = LoopbackAddress(port);
        var webAddress = webApp ? LoopbackAddress(webPort) : null;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!, // the content root: appsettings.json is read from there
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment.Remove("ConnectionStrings__Marten");
        startInfo.Environment["BRM_DATA_DIR"] = dataDirectory;
        if (webAddress is null)
        {
            startInfo.Environment["ASPNETCORE_URLS"] = address.ToString();
        }
        else
        {
            // Plaintext Kestrel speaks one protocol per endpoint: the service's two default endpoints, on free ports.
            startInfo.Environment.Remove("ASPNETCORE_URLS");
            startInfo.Environment["Kestrel__Endpoints__Grpc__Url"] = address.ToString();
            startInfo.Environment["Kestrel__Endpoints__Grpc__Protocols"] = "Http2";
            startInfo.Environment["Kestrel__Endpoints__Http1__Url"] = webAddress.ToString();
            startInfo.Environment["Kestrel__Endpoints__Http1__Protocols"] = "Http1";
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var budget in (string[])["CommandsPerMinute", "ReadsPerMinute", "ReportsPerMinute"])
        {
            startInfo.Environment[$"Limits__{budget}"] = "100000000"; // the bench is one caller at full speed, not a team of BRMs
        }

        startInfo.Environment["Auth__AllowDevTokens"] = "true"; // the bench calls with the service's own dev-token

        var logFile = Path.Combine(Path.GetDirectoryName(dataDirectory)!, $"server-{DateTime.UtcNow:HHmmss}.log");
        var watch = Stopwatch.StartNew();
        var process = Process.Start(startInfo) ?? throw new BenchException("dotnet could not be started");
        var server = new ServerProcess(process, CopyOutputAsync(process, logFile), dll, dataDirectory, logFile, address, webAddress);
        try
        {
            await server.WaitUntilServingAsync(ct);
            server.StartupTime = watch.Elapsed;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string to the service's database, as its local PostgreSQL runs now.</summary>
    public string ConnectionString(string database = "brm")
    {
        var pid = File.ReadAllLines(Path.Combine(DataDirectory, "pg", "postmaster.pid"));
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = int.Parse(pid[3], CultureInfo.InvariantCulture), // line 4: the port
            Username = "brm",
            Password = File.ReadAllText(Path.Combine(DataDirectory, "pg-password")).Trim(),
            Database = database,
        }.ConnectionString;
    }

    /// <summary>The process id of the running PostgreSQL server (line 1 of postmaster.pid).</summary>
    public int PostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(DataDirectory, "pg", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>The folder of the running PostgreSQL server's binaries (pgbench sits next to it).</summary>
    public string PostgresBinDirectory()
    {
        var postmaster = PostmasterPid();
        var executable = new FileInfo($"/proc/{postmaster}/exe").LinkTarget
            ?? throw new BenchException($"cannot tell which binary PostgreSQL process {postmaster} runs");
        return Path.GetDirectoryName(executable)!;
    }

    /// <summary>The service process's peak and current resident memory (VmHWM and VmRSS), in MiB.</summary>
    public Memory Memory()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        return new Memory(Field("VmHWM:"), Field("VmRSS:"));

        double Field(string name) =>
            status.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                ? double.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024
                : double.NaN;
    }

    /// <summary>Resets the peak (VmHWM) to the current size, so the next reading is the peak of what comes next.</summary>
    public bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // older kernel or no permission: the peak then counts from the process start
        }
    }

    /// <summary>
    /// A development bearer token from the service's own <c>dev-token</c> command (its key lives in this data
    /// folder, so a token minted elsewhere would not validate); null when the service has no such command.
    /// </summary>
    public async Task<string?> DevTokenAsync(string role, string name, CancellationToken ct)
    {
        var help = await Processes.RunAsync("dotnet", [_dll, "help"], ct, ServiceEnvironment());
        if (!help.Output.Contains("dev-token", StringComparison.Ordinal))
        {
            return null;
        }

        var token = await Processes.RunAsync("dotnet", [_dll, "dev-token", "--role", role, "--name", name], ct, ServiceEnvironment());
        return token.ExitCode == 0 && token.Output.Trim().Split('\n')[^1].Trim() is { Length: > 0 } last && last.Count(c => c == '.') == 2
            ? last
            : throw new BenchException($"dev-token failed: {token.Output}");

        Dictionary<string, string?> ServiceEnvironment() => new()
        {
            ["BRM_DATA_DIR"] = DataDirectory, ["ConnectionStrings__Marten"] = null, ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__AllowDevTokens"] = "true",
        };
    }

    /// <summary>SIGTERM, then wait: the service stops gracefully and stops its PostgreSQL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Processes.RunAsync("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        await _logCopy;
        _process.Dispose();
        await StopOrphanedPostgresAsync();
    }

    private async Task WaitUntilServingAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new BenchException($"the service exited with code {_process.ExitCode} while starting:{Environment.NewLine}{LogTail()}");
            }

            try
            {
                // A channel per probe: a channel whose connection was refused waits out its reconnect backoff (1 s, then
                // 1.6 s, ...) before it tries again, and the start would be measured in those steps, not in the service's.
                using var channel = GrpcChannel.ForAddress(Address);
                var health = new Health.HealthClient(channel);
                var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: timeout.Token);
                if (answer.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (!timeout.IsCancellationRequested)
            {
                // not listening yet
            }
            catch (Grpc.Core.RpcException) when (!ct.IsCancellationRequested)
            {
                throw new BenchException($"the service was not SERVING within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{LogTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    // Only if the service died without stopping its cluster: stop it, so no PostgreSQL outlives the run.
    private async Task StopOrphanedPostgresAsync()
    {
        var cluster = Path.Combine(DataDirectory, "pg");
        if (!File.Exists(Path.Combine(cluster, "postmaster.pid")))
        {
            return;
        }

        var pgCtl = Path.Combine(PostgresBinDirectory(), "pg_ctl");
        string[] stop = [pgCtl, "stop", "-D", cluster, "-m", "fast", "-w"];
        await (Environment.UserName == "root"
            ? Processes.RunAsync("runuser", ["-u", "postgres", "--", .. stop], CancellationToken.None)
            : Processes.RunAsync(stop[0], stop[1..], CancellationToken.None));
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task CopyOutputAsync(Process process, string logFile)
    {
        await using var log = new StreamWriter(new FileStream(logFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var gate = new SemaphoreSlim(1);
        await Task.WhenAll(Copy(process.StandardOutput), Copy(process.StandardError));

        async Task Copy(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                await gate.WaitAsync();
                try
                {
                    await log.WriteLineAsync(line);
                }
                finally
                {
                    gate.Release();
                }
            }
        }
    }

    private static Uri LoopbackAddress(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Resident memory of a process, in MiB: the peak (VmHWM) and now (VmRSS).</summary>
public sealed record Memory(double PeakMiB, double CurrentMiB);

/// <summary>A run that cannot go on; the message says why.</summary>
public sealed class BenchException(string message) : Exception(message);

/// <summary>Runs a short-lived child process to its end and collects its output.</summary>
public static class Processes
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, CancellationToken ct, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo) ?? throw new BenchException($"{file} could not be started");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
