using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Brm.Api.Tests.Support;

/// <summary>
/// Says when the server's span of a call (the request's, tagged with its correlation id) has ended. The client can have
/// its answer a moment before ASP.NET Core ends the request's activity, so a test that looks for the span as soon as the
/// call returns can miss it: it waits for it here instead. Add it after the exporter, so that the span is exported first.
/// </summary>
public sealed class CallSpans : BaseProcessor<Activity>
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Activity>> _calls = new();

    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem("brm.correlation_id") is string correlation)
        {
            Call(correlation).TrySetResult(data);
        }
    }

    /// <summary>The span of the call made with <paramref name="correlation"/>, once it has ended.</summary>
    public Task<Activity> EndedAsync(string correlation) => Call(correlation).Task.WaitAsync(TimeSpan.FromSeconds(30));

    private TaskCompletionSource<Activity> Call(string correlation) =>
        _calls.GetOrAdd(correlation, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
