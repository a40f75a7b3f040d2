using Brm.Domain.Commitments;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;

namespace Brm.Domain.CommunicationPlans;

/// <summary>What an agenda entry is about; each kind has one RPC that acts on it. The numbers match brm.v1.</summary>
public enum AgendaEntryKind
{
    /// <summary>A plan item's communication, due or overdue.</summary>
    Communication = 1,

    /// <summary>An open or in-progress commitment, due or overdue.</summary>
    Commitment = 2,

    /// <summary>
    /// Reserved for the Feedback capability: feedback awaiting acknowledgement or a response. Its source adds
    /// entries with <see cref="AgendaEntry.Overdue"/> set and, for a decline the business was not told of,
    /// <see cref="AgendaEntry.DueAt"/> at the decline, so that untold declines come first.
    /// </summary>
    Feedback = 3,

    /// <summary>A current stakeholder nobody has talked to within the coverage window.</summary>
    Stakeholder = 4,

    /// <summary>A scheduled meeting: in the horizon, or past and not yet recorded as held or cancelled.</summary>
    Meeting = 5,
}

/// <summary>
/// One line of a BRM's agenda. <paramref name="DueAt"/> is when it fell (or falls) due, the order of the
/// agenda; <paramref name="Since"/> is the moment the entry speaks of: the due day, the last contact (or when the
/// stakeholder was added, if never contacted), the meeting's start. <paramref name="DueOn"/> is set for dated
/// entries (communications and commitments).
/// </summary>
public sealed record AgendaEntry(
    AgendaEntryKind Kind,
    Guid RelationshipId,
    string Department,
    Guid SubjectId,
    string What,
    DateTimeOffset DueAt,
    DateTimeOffset Since,
    DateOnly? DueOn,
    bool Overdue);

/// <summary>What one BRM's agenda is built from, all read for the relationships they manage.</summary>
public sealed record AgendaSources(
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<CommunicationPlan> Plans,
    IReadOnlyList<Commitment> OpenCommitmentsDue,
    IReadOnlyDictionary<Guid, Contact> LastContacts,
    IReadOnlyList<Meeting> ScheduledMeetings);

/// <summary>
/// The BRM's Monday-morning screen, pure: everything due by the end of the horizon or already overdue, overdue
/// first, then by when it fell due (oldest first), then by kind, department and what.
/// </summary>
public static class Agenda
{
    public static IReadOnlyList<AgendaEntry> Of(AgendaSources sources, DateTimeOffset now, int horizonDays, int coverageWindowDays)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var lastDay = today.AddDays(horizonDays);
        var until = now.AddDays(horizonDays);
        var departments = sources.Relationships.ToDictionary(r => r.Id, r => r.Name);
        string Department(Guid id) => departments.GetValueOrDefault(id, "");

        var communications =
            from plan in sources.Plans
            from item in plan.ActiveItems()
            let due = plan.Assess(item, today).NextDueOn
            where due is { } d && d <= lastDay
            select Dated(AgendaEntryKind.Communication, plan.RelationshipId, Department(plan.RelationshipId), item.Id, item.What, due.Value, today);

        var commitments =
            from c in sources.OpenCommitmentsDue
            where !c.IsClosed && c.DueDate <= lastDay
            select Dated(AgendaEntryKind.Commitment, c.RelationshipId, Department(c.RelationshipId), c.Id, c.Title, c.DueDate, today);

        var stakeholders =
            from r in sources.Relationships
            from s in RelationshipCoverage.Of(r, sources.LastContacts, now.AddDays(-coverageWindowDays)).NotContacted()
            let since = s.LastContact?.At ?? s.Stakeholder.AddedAt
            let dueAt = since.AddDays(coverageWindowDays)
            where dueAt <= until
            select new AgendaEntry(AgendaEntryKind.Stakeholder, r.Id, r.Name, s.Stakeholder.Id, $"{s.Stakeholder.Name} ({s.Stakeholder.Title})",
                dueAt, since, null, dueAt < now);

        var meetings =
            from m in sources.ScheduledMeetings
            where m.Status == MeetingStatus.Scheduled && m.OccursAt <= until
            select new AgendaEntry(AgendaEntryKind.Meeting, m.RelationshipId, Department(m.RelationshipId), m.Id, m.Topic ?? m.Kind.ToString(),
                m.OccursAt, m.OccursAt, null, m.OccursAt < now);

        return
        [
            .. communications.Concat(commitments).Concat(stakeholders).Concat(meetings)
                .OrderByDescending(e => e.Overdue)
                .ThenBy(e => e.DueAt)
                .ThenBy(e => e.Kind)
                .ThenBy(e => e.Department, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.What, StringComparer.OrdinalIgnoreCase),
        ];
    }

    private static AgendaEntry Dated(AgendaEntryKind kind, Guid relationshipId, string department, Guid subjectId, string what, DateOnly dueOn, DateOnly today)
    {
        var dueAt = new DateTimeOffset(dueOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new AgendaEntry(kind, relationshipId, department, subjectId, what, dueAt, dueAt, dueOn, dueOn < today);
    }
}
