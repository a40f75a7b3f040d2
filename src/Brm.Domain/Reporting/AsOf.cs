using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>A relationship as it stood at a moment, and the last event that moment includes.</summary>
public sealed record RelationshipAsOf(Relationship Relationship, long Position);

public static class AsOfQueries
{
    /// <summary>
    /// Folds the relationship's events that had happened by <paramref name="asOf"/> (by when they happened,
    /// the time each event carries). A replay, on purpose: history is not a hot path.
    /// </summary>
    public static async Task<RelationshipAsOf> RelationshipAsOfAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset asOf, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(relationshipId, token: ct);

        // Any stream's id can be sent: one that a department's registration does not open (a meeting's, a
        // commitment's...) is not a relationship, as for every other relationship query.
        if (events.Count == 0 || events[0].Data is not DepartmentRegistered)
        {
            throw DomainException.NotFound($"relationship {relationshipId} was not found");
        }

        var happened = events.TakeWhile(e => EventFacts.OccurredAt(e.Data) <= asOf).ToList();
        if (happened.Count == 0)
        {
            throw DomainException.NotFound($"relationship {relationshipId} was not registered yet at {asOf:O}");
        }

        var state = happened.Aggregate((Relationship?)null, (s, e) => Relationship.Fold(s, e.Data))!;
        return new RelationshipAsOf(state.WithVersion(happened[^1].Version), happened[^1].Sequence);
    }

    /// <summary>
    /// The events of these relationships' streams, by relationship, each in stream order: one read for many replays
    /// (health's trend over a portfolio).
    /// </summary>
    public static async Task<ILookup<Guid, object>> RelationshipEventsAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, CancellationToken ct)
    {
        var ids = relationshipIds.ToArray();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => ids.Contains(e.StreamId))
            .OrderBy(e => e.Version)
            .ToListAsync(ct);
        return events.ToLookup(e => e.StreamId, e => e.Data);
    }
}
