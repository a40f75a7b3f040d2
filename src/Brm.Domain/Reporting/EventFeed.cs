using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Linq.MatchesSql;

namespace Brm.Domain.Reporting;

/// <summary>One domain event as the feed delivers it.</summary>
public sealed record FeedEntry(
    long Position,
    Guid EventId,
    Guid StreamId,
    long StreamVersion,
    string EventType,
    object Data,
    Guid RelationshipId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Actor,
    string? CorrelationId,
    string? CausationId);

/// <summary>Which events a feed consumer wants; empty sets mean all.</summary>
public sealed record FeedFilter(IReadOnlySet<string> EventTypes, IReadOnlySet<Guid> RelationshipIds)
{
    /// <summary>
    /// The filter as a condition on <c>mt_events</c>, for the database to apply: the event type is the row's <c>type</c>
    /// (<see cref="IEvent.EventTypeName"/>), the relationship the event's own <c>RelationshipId</c> (<see cref="EventFacts"/>),
    /// absent from the JSON of the few events that concern no department (theirs is <see cref="Guid.Empty"/>). Null: no filter.
    /// </summary>
    public (string Sql, object[] Parameters)? ToSql()
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (EventTypes.Count > 0)
        {
            conditions.Add("type = any(?)");
            parameters.Add(EventTypes.ToArray());
        }

        if (RelationshipIds.Count > 0)
        {
            conditions.Add($"coalesce(data ->> 'RelationshipId', '{Guid.Empty}') = any(?)");
            parameters.Add(RelationshipIds.Select(id => id.ToString()).ToArray());
        }

        return conditions.Count == 0 ? null : (string.Join(" and ", conditions), [.. parameters]);
    }
}

/// <summary>
/// Reads the event store by global position, never past the async daemon's high-water mark: below it every
/// event is committed and the sequence has no hole that a running transaction could still fill, so a
/// reader that moves its position only up to that mark never skips an event that commits late, and never
/// repeats one. Each read covers a bounded window, so memory stays bounded whatever the backlog.
/// </summary>
public static class EventFeed
{
    /// <summary>The most positions one read covers.</summary>
    public const int Window = 500;

    public static async Task<long> HighWaterMarkAsync(this IDocumentStore store, CancellationToken ct) =>
        await store.Advanced.ProjectionProgressFor(new ShardName(ShardState.HighWaterMark), token: ct);

    /// <summary>
    /// The position of the last committed event (0 when there is none). Read before an answer built from inline
    /// documents or streams, it says how fresh that answer is: such an answer holds every event up to it, however far
    /// the async daemon has got.
    /// </summary>
    public static async Task<long> LastCommittedPositionAsync(this IQuerySession session, CancellationToken ct) =>
        (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {BrmDomain.Schema}.mt_events", ct)).Single();

    /// <summary>The domain events in (after, upTo] that pass the filter (applied by the database), in position order.</summary>
    public static async Task<IReadOnlyList<FeedEntry>> ReadAsync(
        this IQuerySession session, long after, long upTo, FeedFilter filter, CancellationToken ct)
    {
        var events = session.Events.QueryAllRawEvents().Where(e => e.Sequence > after && e.Sequence <= upTo);
        if (filter.ToSql() is var (sql, parameters))
        {
            events = events.Where(e => e.MatchesSql(sql, parameters));
        }

        var read = await events.OrderBy(e => e.Sequence).ToListAsync(ct);
        return [.. read.Where(e => EventFacts.AllEventTypes.Contains(e.EventType)).Select(ToEntry)];
    }

    private static FeedEntry ToEntry(IEvent e) => new(
        e.Sequence, e.Id, e.StreamId, e.Version, e.EventTypeName, e.Data, EventFacts.RelationshipId(e.Data),
        EventFacts.OccurredAt(e.Data), e.Timestamp, e.UserName ?? EventFacts.Actor(e.Data), e.CorrelationId, e.CausationId);
}
