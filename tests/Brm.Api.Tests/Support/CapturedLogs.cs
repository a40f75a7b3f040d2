using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Brm.Api.Tests.Support;

/// <summary>Every log line the service writes, by category, for tests that check what gets logged (and what never does).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<string> In(string category) => _lines.Where(l => l.Category == category).Select(l => l.Message).ToList();

    public IEnumerable<string> All => _lines.Select(l => l.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs._lines.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
            }
        }
    }
}
