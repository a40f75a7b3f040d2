using Brm.Domain.Tags;
using Marten;

namespace Brm.Domain.Commitments;

/// <summary>Which commitments a list wants; null means "any".</summary>
public sealed record CommitmentFilter(
    Guid? RelationshipId = null,
    string? Owner = null,
    IReadOnlyCollection<CommitmentStatus>? Statuses = null,
    bool OverdueOnly = false,
    DateOnly? DueBefore = null,
    Guid? SourceMeetingId = null,
    IReadOnlyCollection<string>? Tags = null);

/// <summary>How a set of commitments is doing: what the health report and the BRM read.</summary>
public sealed record CommitmentFigures(
    int Total,
    int Open,
    int Overdue,
    int DeliveredOnTime,
    int DeliveredLate,
    int Cancelled,
    int Renegotiated,
    int Closed,
    int ClosedTold,
    TimeSpan? MeanTimeToTell)
{
    /// <summary>The share of closed commitments whose outcome the business was told; null when none closed.</summary>
    public double? ToldShare => Closed == 0 ? null : (double)ClosedTold / Closed;

    public static CommitmentFigures From(IReadOnlyCollection<Commitment> commitments, DateOnly today)
    {
        var closed = commitments.Where(c => c.IsClosed).ToList();
        var delays = closed.Where(c => c.ClosingToldAt() is not null).Select(c => c.ClosingToldAt()!.Value - c.ClosedAt!.Value).ToList();
        return new CommitmentFigures(
            commitments.Count,
            commitments.Count(c => !c.IsClosed),
            commitments.Count(c => c.IsOverdue(today)),
            commitments.Count(c => c.DeliveredOnTime() == true),
            commitments.Count(c => c.DeliveredOnTime() == false),
            commitments.Count(c => c.Status == CommitmentStatus.Cancelled),
            commitments.Count(c => c.Renegotiations > 0),
            closed.Count,
            delays.Count,
            delays.Count == 0 ? null : TimeSpan.FromTicks((long)delays.Average(d => d.Ticks)));
    }
}

/// <summary>Reads of the projected <see cref="Commitment"/> documents; never a stream replay.</summary>
public static class CommitmentQueries
{
    public static async Task<Commitment> GetCommitmentAsync(this IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Commitment>(id, ct) ?? throw DomainException.NotFound($"commitment {id} was not found");

    /// <summary>One page ordered by due date, then id, after the given position (keyset paging).</summary>
    public static async Task<IReadOnlyList<Commitment>> ListCommitmentsAsync(
        this IQuerySession session, CommitmentFilter filter, DateOnly today, DateOnly? afterDue, Guid afterId, int limit, CancellationToken ct)
    {
        var where = Where(filter, today);
        if (afterDue is { } due)
        {
            where.Add(("(d.due_date, d.id) > (?, ?)", [due, afterId]));
        }

        return await QueryAsync(session, where, "order by d.due_date, d.id limit ?", [limit], ct);
    }

    /// <summary>Every commitment that matches (one meeting's, one relationship's, one owner's), by due date.</summary>
    public static Task<IReadOnlyList<Commitment>> AllCommitmentsAsync(this IQuerySession session, CommitmentFilter filter, CancellationToken ct) =>
        QueryAsync(session, Where(filter, today: default), "order by d.due_date, d.id", [], ct);

    /// <summary>The open and in-progress commitments of these relationships due on or before <paramref name="dueBy"/>, by due date.</summary>
    public static Task<IReadOnlyList<Commitment>> OpenCommitmentsDueAsync(
        this IQuerySession session, IReadOnlyCollection<Guid> relationshipIds, DateOnly dueBy, CancellationToken ct) =>
        QueryAsync(session,
            [("d.relationship_id = any(?)", [relationshipIds.ToArray()]), ("d.data ->> 'Status' in ('Open', 'InProgress') and d.due_date <= ?", [dueBy])],
            "order by d.due_date, d.id", [], ct);

    private static List<(string Sql, object[] Args)> Where(CommitmentFilter filter, DateOnly today)
    {
        var where = new List<(string, object[])>();
        if (filter.RelationshipId is { } relationship)
        {
            where.Add(("d.relationship_id = ?", [relationship]));
        }

        if (filter.Owner is { } owner)
        {
            where.Add(("d.owner = ?", [owner]));
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            where.Add(("d.data ->> 'Status' = any(?)", [statuses.Select(s => s.ToString()).ToArray()]));
        }

        if (filter.OverdueOnly)
        {
            where.Add(("d.data ->> 'Status' in ('Open', 'InProgress') and d.due_date < ?", [today]));
        }

        if (filter.DueBefore is { } before)
        {
            where.Add(("d.due_date < ?", [before]));
        }

        if (filter.SourceMeetingId is { } meeting)
        {
            where.Add(("d.data -> 'Source' ->> 'Kind' = 'Meeting' and d.data -> 'Source' ->> 'Id' = ?", [meeting.ToString()]));
        }

        if (filter.Tags is { Count: > 0 } tags)
        {
            where.Add((Tagging.CarriesAllSql, [Tagging.CarriesAllParameter(tags)]));
        }

        return where;
    }

    private static async Task<IReadOnlyList<Commitment>> QueryAsync(
        IQuerySession session, List<(string Sql, object[] Args)> where, string tail, object[] tailArgs, CancellationToken ct)
    {
        var clause = where.Count == 0 ? "" : "where " + string.Join(" and ", where.Select(w => $"({w.Sql})"));
        object[] args = [.. where.SelectMany(w => w.Args), .. tailArgs];
        return await session.QueryAsync<Commitment>(
            $"select d.data from {BrmDomain.Schema}.mt_doc_commitment as d {clause} {tail}", ct, args);
    }
}
