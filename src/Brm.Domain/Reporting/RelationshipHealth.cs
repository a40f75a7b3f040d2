using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>A relationship's health now, and its score 30 and 90 days before (null where it did not exist yet or had no score).</summary>
public sealed record RelationshipHealth(Relationship Relationship, DateTimeOffset AsOf, HealthReport Now, int? Score30DaysAgo, int? Score90DaysAgo);

public static class RelationshipHealthQueries
{
    /// <summary>The relationship's health at <paramref name="now"/>, and 30 and 90 days before (<see cref="HealthTrend.Recent"/>).</summary>
    public static async Task<RelationshipHealth> RelationshipHealthAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset now, HealthPolicy policy, CancellationToken ct)
    {
        var relationship = await session.GetAsync(relationshipId, ct);
        var history = await session.HealthHistoryAsync(relationship.Id, policy, ct);
        var health = HealthTrend.Recent(history, relationship, now);
        return new RelationshipHealth(relationship, now, health.Now, health.DaysAgo30?.Score, health.DaysAgo90?.Score);
    }
}
