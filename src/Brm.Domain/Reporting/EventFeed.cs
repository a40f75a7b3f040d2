using System.Collections.Concurrent;
using System.Collections.Frozen;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

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
    /// absent from the JSON of the few events that concern no department (theirs is <see cref="Guid.Empty"/>). Its
    /// parameters are positional, numbered from <paramref name="firstParameter"/>. Null: no filter.
    /// </summary>
    public (string Sql, object[] Parameters)? ToSql(int firstParameter)
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (EventTypes.Count > 0)
        {
            parameters.Add(EventTypes.ToArray());
            conditions.Add($"type = any(${firstParameter + parameters.Count - 1})");
        }

        if (RelationshipIds.Count > 0)
        {
            parameters.Add(RelationshipIds.Select(id => id.ToString()).ToArray());
            conditions.Add($"coalesce(data ->> 'RelationshipId', '{Guid.Empty}') = any(${firstParameter + parameters.Count - 1})");
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

    /// <summary>
    /// The domain events in (after, upTo] that pass the filter (applied by the database), in position order. One plain
    /// query over <c>mt_events</c> (the columns Marten's own event query reads, without its per-column asynchronous
    /// readers): each row is read whole, its JSON deserialized by the store's serializer into the event type its
    /// <c>type</c> names. Rows of types that are not domain events are passed over.
    /// </summary>
    public static async Task<IReadOnlyList<FeedEntry>> ReadAsync(
        this IQuerySession session, long after, long upTo, FeedFilter filter, CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        var condition = filter.ToSql(firstParameter: 3);
        await using var command = new NpgsqlCommand($"""
            select seq_id, id, stream_id, version, type, data, timestamp, user_name, correlation_id, causation_id
            from {BrmDomain.Schema}.mt_events
            where seq_id > $1 and seq_id <= $2 and is_archived = false{(condition is var (sql, _) ? " and " + sql : "")}
            order by seq_id
            """)
        {
            Parameters = { new() { Value = after }, new() { Value = upTo } },
        };
        foreach (var parameter in condition?.Parameters ?? [])
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var types = DomainEventTypes(options.Events.EventNamingStyle);
        var serializer = options.Serializer();
        var entries = new List<FeedEntry>();
        await using var reader = await session.ExecuteReaderAsync(command, ct);
        while (await reader.ReadAsync(ct))
        {
            var eventType = reader.GetString(4);
            if (!types.TryGetValue(eventType, out var type))
            {
                continue;
            }

            var data = serializer.FromJson(type, reader, 5);
            entries.Add(new FeedEntry(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), eventType, data,
                EventFacts.RelationshipId(data), EventFacts.OccurredAt(data), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? EventFacts.Actor(data) : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return entries;
    }

    private static readonly ConcurrentDictionary<EventNamingStyle, FrozenDictionary<string, Type>> TypesByName = new();

    /// <summary>Every domain event type by the name the store records it under (its <c>type</c> column).</summary>
    private static FrozenDictionary<string, Type> DomainEventTypes(EventNamingStyle naming) =>
        TypesByName.GetOrAdd(naming, static n => EventFacts.AllEventTypes.ToFrozenDictionary(t => t.GetEventTypeName(n)));
}
