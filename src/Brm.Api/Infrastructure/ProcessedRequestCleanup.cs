using Brm.Domain.Idempotency;
using Marten;
using Microsoft.Extensions.Options;

namespace Brm.Api.Infrastructure;

/// <summary>How long the first answer to a request id is kept (section <c>Idempotency</c>), and how often expired ones are deleted.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>A request id repeated within this time gets the first answer; after it (and the next cleanup), it is a new request.</summary>
    public TimeSpan Retention { get; set; } = ProcessedRequest.DefaultRetention;

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes the stored answers older than <see cref="IdempotencyOptions.Retention"/>, at start and then every
/// <see cref="IdempotencyOptions.CleanupInterval"/>. Several nodes may run it against one database: each sweep takes a
/// PostgreSQL advisory lock first, so one node deletes while the others skip that round.
/// </summary>
public sealed class ProcessedRequestCleanup(
    IDocumentStore store, TimeProvider clock, IOptions<IdempotencyOptions> options, ILogger<ProcessedRequestCleanup> logger)
    : BackgroundService
{
    /// <summary>One sweep: the number of answers deleted, or null when another node was sweeping.</summary>
    public async Task<int?> SweepAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var deleted = await ProcessedRequest.DeleteExpiredAsync(session, clock.GetUtcNow() - options.Value.Retention, ct);
        logger.LogDebug("Expired request ids: {Deleted} deleted (null: another node was sweeping)", deleted);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be down for a while: the next round tries again.
                logger.LogWarning(e, "Deleting expired request ids failed; retrying in {Interval}", options.Value.CleanupInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
