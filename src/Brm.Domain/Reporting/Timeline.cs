using Brm.Domain.PersonalData;
using Brm.Domain.Relationships;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Brm.Domain.Reporting;

/// <summary>One line of a relationship's timeline; its id is the event's global position.</summary>
[DuplicatedWithoutIndex(nameof(RelationshipId))]
public sealed record TimelineEntry(
    long Id, Guid RelationshipId, Guid StreamId, string EventType, string Summary, string Actor, DateTimeOffset OccurredAt);

/// <summary>
/// The timeline, projected asynchronously (a cross-stream report): one entry per domain event of a department, indexed
/// by relationship. Running async keeps it off the write path; answers say how fresh it is.
/// </summary>
public sealed partial class TimelineProjection : EventProjection
{
    public const string ProjectionName = "Timeline";

    public TimelineProjection() => Name = ProjectionName;

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        // Events that concern no department (the update template, digests) are on no department's timeline.
        if (!EventFacts.AllEventTypes.Contains(e.EventType) || EventFacts.RelationshipId(e.Data) == Guid.Empty)
        {
            return;
        }

        operations.Store(Entry(e));

        // The erasure masked earlier events in the same transaction that appended this one, so they read masked
        // now: their lines, written from them before, are written again.
        if (e.Data is StakeholderPersonalDataErased erased)
        {
            foreach (var masked in await StakeholderErasure.MaskedByAsync(operations, erased, cancellation))
            {
                operations.Store(Entry(masked));
            }
        }
    }

    private static TimelineEntry Entry(IEvent e) => new(
        e.Sequence, EventFacts.RelationshipId(e.Data), e.StreamId, e.EventTypeName, EventSummaries.Describe(e.Data),
        e.UserName ?? EventFacts.Actor(e.Data), EventFacts.OccurredAt(e.Data));
}

/// <summary>One page of a relationship's timeline, newest first, and the position the next page starts before (null: the last page).</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, long? NextBefore);

public static class TimelineQueries
{
    /// <summary>A page of at most <paramref name="size"/> entries of the relationship's timeline, before a position when given.</summary>
    public static async Task<TimelinePage> TimelineAsync(
        this IQuerySession session, Guid relationshipId, long? before, int size, CancellationToken ct)
    {
        await session.GetAsync(relationshipId, ct); // a relationship that does not exist is NOT_FOUND, not an empty timeline
        var page = await session.TimelinePageAsync(relationshipId, before, size + 1, ct);
        return new TimelinePage([.. page.Take(size)], page.Count > size ? page[size - 1].Id : null);
    }

    /// <summary>A relationship's timeline, newest first, before a position (exclusive) when given.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> TimelinePageAsync(
        this IQuerySession session, Guid relationshipId, long? before, int limit, CancellationToken ct)
    {
        var upper = before ?? long.MaxValue;
        return await session.Query<TimelineEntry>()
            .Where(x => x.RelationshipId == relationshipId && x.Id < upper)
            .OrderByDescending(x => x.Id)
            .Take(limit)
            .ToListAsync(ct);
    }

    /// <summary>The global position the timeline projection has reached.</summary>
    public static async Task<long> TimelinePositionAsync(this IDocumentStore store, CancellationToken ct) =>
        await store.ProjectionPositionAsync(TimelineProjection.ProjectionName, ct);
}
