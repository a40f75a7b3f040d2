using JasperFx.Events.Projections;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>How far each async projection shard is behind the async daemon's high-water mark.</summary>
public static class ProjectionLag
{
    /// <summary>Per shard (e.g. "Timeline:All"): the positions it still has to process, never negative.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ProjectionLagAsync(this IDocumentStore store, CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var highWaterMark = progress.FirstOrDefault(s => s.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;
        return progress
            .Where(s => s.ShardName != ShardState.HighWaterMark)
            .ToDictionary(s => s.ShardName, s => Math.Max(0, highWaterMark - s.Sequence));
    }

    /// <summary>The global position an async projection (one shard, e.g. "Timeline") has reached.</summary>
    public static async Task<long> ProjectionPositionAsync(this IDocumentStore store, string projectionName, CancellationToken ct) =>
        await store.Advanced.ProjectionProgressFor(new ShardName(projectionName, ShardName.All, 1), token: ct);
}
