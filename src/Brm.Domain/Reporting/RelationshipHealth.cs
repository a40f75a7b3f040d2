using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>A relationship's health now, and its score 30 and 90 days before (null where it did not exist yet or had no score).</summary>
public sealed record RelationshipHealth(Relationship Relationship, DateTimeOffset AsOf, HealthReport Now, int? Score30DaysAgo, int? Score90DaysAgo);

public static class RelationshipHealthQueries
{
    /// <summary>The relationship's health at <paramref name="now"/> (<see cref="HealthQueries.HealthAsync"/>), and 30 and 90 days before.</summary>
    public static async Task<RelationshipHealth> RelationshipHealthAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset now, HealthPolicy policy, CancellationToken ct)
    {
        var relationship = await session.GetAsync(relationshipId, ct);
        var health = (await session.HealthAsync(relationship, now, now: true, ct, policy))!;
        var before30 = await session.HealthAsync(relationship, now.AddDays(-30), now: false, ct, policy);
        var before90 = await session.HealthAsync(relationship, now.AddDays(-90), now: false, ct, policy);
        return new RelationshipHealth(relationship, now, health, before30?.Score, before90?.Score);
    }
}
