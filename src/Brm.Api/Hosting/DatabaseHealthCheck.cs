using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Brm.Api.Hosting;

/// <summary>Healthy while PostgreSQL answers a trivial query within a few seconds.</summary>
public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the database cannot be reached", e);
        }
    }
}
