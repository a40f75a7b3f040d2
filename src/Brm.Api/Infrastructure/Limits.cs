using System.Collections.Concurrent;
using Brm.Api.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Brm.Api.Infrastructure;

/// <summary>
/// What one caller can make the service consume (section <c>Limits</c>; all of them are listed in
/// docs/security-and-limits.md). Beyond a limit on consumption the answer is RESOURCE_EXHAUSTED; a field past its
/// documented size (texts: <see cref="ValidationRules"/>, page sizes: <see cref="PageTokens"/>) is
/// INVALID_ARGUMENT naming the field, since the fix is in that field.
/// </summary>
public sealed class Limits
{
    public const string Section = "Limits";

    /// <summary>The largest request message; gRPC answers RESOURCE_EXHAUSTED before anything reads a larger one.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>How many server streams (the feed) one caller may hold open at once.</summary>
    public int MaxStreamsPerCaller { get; set; } = 4;

    /// <summary>How long a server stream waits for its client to take a message before it is closed.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a unary gRPC call may run (a client's shorter deadline wins): past it the call is
    /// DEADLINE_EXCEEDED and its transaction rolled back. Server streams have <see cref="StreamIdleTimeout"/> instead.
    /// </summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the database health check's answer is reused (health needs no token).</summary>
    public TimeSpan HealthCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Commands (RPCs taking a <c>request_id</c>) one caller may send per minute, in bursts up to the same number.</summary>
    public int CommandsPerMinute { get; set; } = 600;

    /// <summary>Reads (gets, lists, opening the feed) one caller may send per minute.</summary>
    public int ReadsPerMinute { get; set; } = 3000;

    /// <summary>Expensive reports (<see cref="RateLimits.Reports"/>) one caller may ask for per minute.</summary>
    public int ReportsPerMinute { get; set; } = 300;

    /// <summary>Feedback form pages (views and answers) and calendar feeds one address may load per minute, together.</summary>
    public int FormRequestsPerMinute { get; set; } = 60;

    /// <summary>Fetches of one calendar feed address per minute (clients look every few minutes at most).</summary>
    public int CalendarFetchesPerFeedPerMinute { get; set; } = 10;

    /// <summary>Answers one personal feedback link may submit per minute (every one after the first is refused anyway: this bounds the work).</summary>
    public int FormAnswersPerLinkPerMinute { get; set; } = 10;
}

/// <summary>
/// The limits on brm.v1 server streams, per caller: at most <see cref="Limits.MaxStreamsPerCaller"/> open at once,
/// and a stream whose client has not taken a message for <see cref="Limits.StreamIdleTimeout"/> is closed; both
/// end with RESOURCE_EXHAUSTED. Runs after <see cref="AccessInterceptor"/>, which names the caller.
/// </summary>
public sealed class StreamLimitInterceptor(OpenStreams open, IOptions<Limits> limits) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!AccessPolicy.Guards(context.Method))
        {
            await continuation(request, responseStream, context);
            return;
        }

        using var slot = open.Take(Caller.Of(context).Name, limits.Value.MaxStreamsPerCaller);
        await continuation(request, new IdleLimitedWriter<TResponse>(responseStream, limits.Value.StreamIdleTimeout), context);
    }

    /// <summary>Writes to <paramref name="inner"/>, giving up with RESOURCE_EXHAUSTED when a write waits longer than <paramref name="idle"/>.</summary>
    internal sealed class IdleLimitedWriter<T>(IServerStreamWriter<T> inner, TimeSpan idle) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            try
            {
                await inner.WriteAsync(message, cancellationToken).WaitAsync(idle, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new LimitExceededException(
                    $"the client took no message for {idle.TotalSeconds:0} seconds, the idle limit of a stream; reconnect and resume");
            }
        }
    }
}

/// <summary>The server streams each caller holds open.</summary>
public sealed class OpenStreams
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>How many streams <paramref name="caller"/> holds open.</summary>
    public int Count(string caller) => _open.GetValueOrDefault(caller);

    /// <summary>Takes one of <paramref name="caller"/>'s slots until disposed; none left is RESOURCE_EXHAUSTED.</summary>
    public IDisposable Take(string caller, int max)
    {
        while (true)
        {
            var current = _open.GetValueOrDefault(caller);
            if (current >= max)
            {
                throw new LimitExceededException(
                    $"a caller may hold at most {max} streams open at once; close one first");
            }

            if (current == 0 ? _open.TryAdd(caller, 1) : _open.TryUpdate(caller, current + 1, current))
            {
                return new Slot(this, caller);
            }
        }
    }

    private void Release(string caller)
    {
        while (true)
        {
            var current = _open[caller];
            if (current == 1 ? _open.TryRemove(new KeyValuePair<string, int>(caller, 1)) : _open.TryUpdate(caller, current - 1, current))
            {
                return;
            }
        }
    }

    private sealed class Slot(OpenStreams owner, string caller) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(caller);
            }
        }
    }
}

/// <summary>A caller went past a limit on what it may consume: RESOURCE_EXHAUSTED.</summary>
public sealed class LimitExceededException(string message) : Exception(message);
