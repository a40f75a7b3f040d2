using System.Diagnostics;
using MimeKit;

namespace Brm.Api.Tests.Support;

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd, see smtp_sink.py) in a process of its own on a loopback port: every
/// message it accepts is kept, whole, with its envelope recipients. It can be stopped (the mail server down) and
/// started again on the same port; addresses containing <see cref="RefusedMarker"/> are refused for good (550).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>An address containing this is refused by the server as an unknown mailbox.</summary>
    public const string RefusedMarker = "nobody-here";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Support", "smtp_sink.py");
    private Process? _process;

    private SmtpSink(string folder) => Folder = folder;

    /// <summary>Where the accepted messages are.</summary>
    public string Folder { get; }

    public int Port { get; private set; }

    public bool Running => _process is { HasExited: false };

    /// <summary>Starts a server on a port the system picks.</summary>
    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink(Path.Combine(Path.GetTempPath(), "brm-tests-smtp", Guid.NewGuid().ToString("N")));
        await sink.StartAsync(port: 0);
        return sink;
    }

    /// <summary>Starts it again, on the port it had: the mail server is back.</summary>
    public Task RestartAsync() => Running ? throw new InvalidOperationException("the SMTP sink is running") : StartAsync(Port);

    /// <summary>Stops it (SIGKILL, waited for): connections to its port are refused until it restarts.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Every message accepted so far, with the recipients of its envelope.</summary>
    public IReadOnlyList<(MimeMessage Message, IReadOnlyList<string> Recipients)> Messages() =>
        [.. Directory.EnumerateFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(eml =>
            (MimeMessage.Load(eml), (IReadOnlyList<string>)File.ReadAllLines(Path.ChangeExtension(eml, ".rcpt")).Where(l => l.Length > 0).ToList()))];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task StartAsync(int port)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-u", Script, Folder, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--refuse", RefusedMarker })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening on ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException(
                $"the SMTP sink did not start (is python3-aiosmtpd installed? apt-get install python3-aiosmtpd): {line} {error}");
        }

        Port = int.Parse(line["listening on ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        _process = process;
    }
}
