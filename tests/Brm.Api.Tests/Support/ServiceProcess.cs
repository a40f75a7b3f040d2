using System.Diagnostics;
using System.Globalization;

namespace Brm.Api.Tests.Support;

/// <summary>
/// The service as its users start it: <c>dotnet Brm.Api.dll</c> (the build beside the tests) in a process of its own,
/// in the Production environment with no connection string unless told otherwise, on a free loopback port.
/// Everything it prints is kept in <see cref="Output"/>. Disposing stops it with SIGTERM, as systemd would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const string Listening = "Now listening on: ";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process) => _process = process;

    /// <summary>What it printed so far (standard output and error), one line each.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <c>dotnet Brm.Api.dll <paramref name="arguments"/></c> with <paramref name="settings"/> as environment variables.</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory, // the content root: appsettings.json is read from there
        };
        foreach (var argument in arguments.Prepend(Path.Combine(AppContext.BaseDirectory, "Brm.Api.dll")))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("ConnectionStrings__Marten");
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        startInfo.Environment["Outreach__Digests"] = "false"; // as in ApiFixture: a test that wants digests says so
        foreach (var (name, value) in settings)
        {
            startInfo.Environment[name] = value;
        }

        var service = new ServiceProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        service._process.OutputDataReceived += (_, line) => service.Read(line.Data);
        service._process.ErrorDataReceived += (_, line) => service.Read(line.Data);
        service._process.Exited += (_, _) => service._address.TrySetException(
            new InvalidOperationException($"the service exited before it listened:\n{service.Output}"));
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The address it listens on, once it does.</summary>
    public Task<Uri> AddressAsync() => _address.Task.WaitAsync(Timeout);

    /// <summary>Waits until it exits by itself; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(timeout.Token); // also waits until its output is read to the end
        return _process.ExitCode;
    }

    /// <summary>Kills it at once (SIGKILL), as a crash or an out-of-memory killer would: nothing of it runs after this returns.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.Contains(Listening, StringComparison.Ordinal))
        {
            _address.TrySetResult(new Uri(line[(line.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim()));
        }
    }
}
