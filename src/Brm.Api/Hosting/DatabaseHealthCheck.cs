using Brm.Api.Infrastructure;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Brm.Api.Hosting;

/// <summary>
/// Healthy while PostgreSQL answers a trivial query within a few seconds. The answer is kept for
/// <see cref="Limits.HealthCacheDuration"/>: health needs no token, so a caller checking in a loop costs at most one
/// query per period, and calls that arrive while a query runs share it. A singleton, so the cache outlives a call.
/// </summary>
public sealed class DatabaseHealthCheck(IDocumentStore store, TimeProvider clock, IOptions<Limits> limits) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private Task<HealthCheckResult>? _answer;
    private DateTimeOffset _askedAt;
    private long _queries;

    /// <summary>How many times the check has queried the database.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_answer is null || (_answer.IsCompleted && now - _askedAt >= limits.Value.HealthCacheDuration))
            {
                _askedAt = now;
                _answer = QueryAsync(); // not the caller's token: the query is shared with whoever asks next
            }

            return _answer.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthCheckResult> QueryAsync()
    {
        Interlocked.Increment(ref _queries);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the database cannot be reached", e);
        }
    }
}
