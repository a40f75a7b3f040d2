using Brm.Domain.Commitments;
using Brm.Domain.Feedback;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>A relationship as it stood at a moment, and the last event that moment includes.</summary>
public sealed record RelationshipAsOf(Relationship Relationship, long Position);

/// <summary>
/// A relationship as it stood at a moment with what was open then: its commitments not yet closed (by due date), its
/// feedback whose loop was not yet closed, and the last <see cref="OutreachLimits.UpdatesAsOf"/> updates sent by then.
/// </summary>
public sealed record RelationshipSnapshot(
    RelationshipAsOf AsOf,
    DateTimeOffset Moment,
    IReadOnlyList<Commitment> OpenCommitments,
    IReadOnlyList<FeedbackItem> OpenFeedback,
    IReadOnlyList<Update> UpdatesSent)
{
    /// <summary>The day of the moment (UTC), against which commitments and feedback are due.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Moment.UtcDateTime);
}

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

    /// <summary>The relationship as of <paramref name="moment"/> (<see cref="RelationshipAsOfAsync"/>) and what was open then.</summary>
    public static async Task<RelationshipSnapshot> RelationshipSnapshotAsync(
        this IQuerySession session, Guid relationshipId, DateTimeOffset moment, CancellationToken ct)
    {
        var asOf = await session.RelationshipAsOfAsync(relationshipId, moment, ct);
        var id = asOf.Relationship.Id;
        var commitments = await session.AllCommitmentsAsync(new CommitmentFilter(RelationshipId: id), ct);
        var feedback = await session.FeedbackOfAsync([id], receivedBy: moment, openOnly: false, ct);
        var updates = await session.UpdatesSentByAsync(id, moment, OutreachLimits.UpdatesAsOf, ct);
        return new RelationshipSnapshot(
            asOf,
            moment,
            [.. commitments.Select(c => c.AsOf(moment)).OfType<Commitment>().Where(c => !c.IsClosed).OrderBy(c => c.DueDate)],
            [.. feedback.Select(f => f.AsOf(moment)).OfType<FeedbackItem>().Where(f => !f.LoopClosed)],
            [.. updates.Select(u => u.AsOf(moment)).OfType<Update>()]);
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
