using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Outreach;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.CommunicationPlans;

/// <summary>What an agenda entry is about. The numbers match brm.v1.</summary>
public enum AgendaEntryKind
{
    /// <summary>A plan item's communication, due or overdue.</summary>
    Communication = 1,

    /// <summary>An open or in-progress commitment, due or overdue.</summary>
    Commitment = 2,

    /// <summary>
    /// Feedback whose loop is open: awaiting acknowledgement (due <see cref="FeedbackItem.AcknowledgeWithinDays"/>
    /// after receipt), awaiting a response (due <see cref="FeedbackItem.CloseLoopWithinDays"/> after receipt), or
    /// declined and not yet told (overdue from the decline, and first on the agenda).
    /// </summary>
    Feedback = 3,

    /// <summary>A current stakeholder nobody has talked to within the coverage window.</summary>
    Stakeholder = 4,

    /// <summary>A scheduled meeting: in the horizon, or past and not yet recorded as held or cancelled.</summary>
    Meeting = 5,

    /// <summary>An update a recipient did not get: due (and overdue) from when its delivery failed.</summary>
    UpdateDelivery = 6,
}

/// <summary>The step that settles an agenda entry; the API names the RPC that takes it.</summary>
public enum AgendaAction
{
    RecordCommunication = 1,
    DeliverCommitment = 2,
    AcknowledgeFeedback = 3,
    ActionFeedback = 4,
    RespondToFeedback = 5,
    LogConversation = 6,
    HoldMeeting = 7,
    SendUpdate = 8,
}

/// <summary>
/// One line of a BRM's agenda. <paramref name="DueAt"/> is when it fell (or falls) due, the order of the
/// agenda; <paramref name="Since"/> is the moment the entry speaks of: the due day, the last contact (or when the
/// stakeholder was added, if never contacted), the meeting's start, the feedback's receipt (or, declined and
/// untold, its decline). <paramref name="DueOn"/> is set for dated entries (communications and commitments).
/// <paramref name="Action"/> is the step that settles it. <paramref name="UntoldDecline"/>: declined feedback the
/// business has not been told of, the failure this product exists to prevent, so it leads the agenda.
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
    bool Overdue,
    AgendaAction Action,
    bool UntoldDecline = false);

/// <summary>
/// What one BRM's agenda is built from, all read for the relationships they manage. Commitments and feedback, the
/// many rows, come as the few fields an entry shows (<see cref="AgendaCommitment"/>, <see cref="AgendaFeedback"/>)
/// rather than whole documents, which the service would otherwise decode only to drop most of (docs/PERFORMANCE.md:
/// a modest saving; the number of rows, not their bytes, is most of the agenda's cost). Plans come as their items only
/// (<see cref="ManagedPlan"/>): what is due is found from each item's last settled period, not from every communication
/// the plan ever recorded, so the agenda does not grow with the plans' history.
/// </summary>
public sealed record AgendaSources(
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<ManagedPlan> Plans,
    IReadOnlyList<AgendaCommitment> OpenCommitmentsDue,
    IReadOnlyDictionary<Guid, Contact> LastContacts,
    IReadOnlyList<Meeting> ScheduledMeetings,
    IReadOnlyList<AgendaFeedback> OpenFeedback,
    IReadOnlyList<Update> UpdatesWithFailedDeliveries);

/// <summary>An open (or in-progress) commitment, as its agenda entry shows it.</summary>
public sealed record AgendaCommitment(Guid Id, Guid RelationshipId, string Title, DateOnly DueDate);

/// <summary>Feedback whose loop is open, as its agenda entry shows it: its step, when it came, what it said.</summary>
public sealed record AgendaFeedback(
    Guid Id, Guid RelationshipId, FeedbackStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset? DeclinedAt, string? Comment, int? Rating)
{
    public static AgendaFeedback Of(FeedbackItem f) => new(f.Id, f.RelationshipId, f.Status, f.ReceivedAt, f.Declined?.At, f.Comment, f.Rating);
}

/// <summary>
/// The BRM's Monday-morning screen, pure: everything due by the end of the horizon or already overdue. Declines
/// the business has not been told of come first, then the other overdue entries, then the rest; within each,
/// by when it fell due (oldest first), then by kind, department and what.
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
            from item in plan.Items
            where item.IsActive
            let due = item.NextDueOn(today)
            where due is { } d && d <= lastDay
            select Dated(AgendaEntryKind.Communication, plan.RelationshipId, Department(plan.RelationshipId), item.Id, item.What, due.Value, today,
                AgendaAction.RecordCommunication);

        var commitments =
            from c in sources.OpenCommitmentsDue
            where c.DueDate <= lastDay
            select Dated(AgendaEntryKind.Commitment, c.RelationshipId, Department(c.RelationshipId), c.Id, c.Title, c.DueDate, today, AgendaAction.DeliverCommitment);

        var stakeholders =
            from r in sources.Relationships
            from s in RelationshipCoverage.Of(r, sources.LastContacts, now.AddDays(-coverageWindowDays)).NotContacted()
            let since = s.LastContact?.At ?? s.Stakeholder.AddedAt
            let dueAt = since.AddDays(coverageWindowDays)
            where dueAt <= until
            select new AgendaEntry(AgendaEntryKind.Stakeholder, r.Id, r.Name, s.Stakeholder.Id, $"{s.Stakeholder.Name} ({s.Stakeholder.Title})",
                dueAt, since, null, dueAt < now, AgendaAction.LogConversation);

        var meetings =
            from m in sources.ScheduledMeetings
            where m.Status == MeetingStatus.Scheduled && m.OccursAt <= until
            select new AgendaEntry(AgendaEntryKind.Meeting, m.RelationshipId, Department(m.RelationshipId), m.Id, m.Topic ?? m.Kind.ToString(),
                m.OccursAt, m.OccursAt, null, m.OccursAt < now, AgendaAction.HoldMeeting);

        var feedback =
            from f in sources.OpenFeedback
            let entry = FeedbackEntry(f, Department(f.RelationshipId), now)
            where entry.DueAt <= until
            select entry;

        var deliveries =
            from u in sources.UpdatesWithFailedDeliveries
            from d in u.FailedDeliveries()
            let failedAt = d.At ?? u.UpdatedAt
            select new AgendaEntry(AgendaEntryKind.UpdateDelivery, u.RelationshipId, Department(u.RelationshipId), u.Id,
                $"Update \"{EventSummaries.OneLine(u.Subject)}\" not delivered to {d.Recipient.Email}: {EventSummaries.Short(d.Detail ?? "")}",
                failedAt, failedAt, null, failedAt < now, AgendaAction.SendUpdate);

        return
        [
            .. communications.Concat(commitments).Concat(feedback).Concat(stakeholders).Concat(meetings).Concat(deliveries)
                .OrderByDescending(e => e.UntoldDecline)
                .ThenByDescending(e => e.Overdue)
                .ThenBy(e => e.DueAt)
                .ThenBy(e => e.Kind)
                .ThenBy(e => e.Department, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.What, StringComparer.OrdinalIgnoreCase),
        ];
    }

    /// <summary>
    /// Open feedback: declined and untold, due (and overdue) from the decline; received, to acknowledge within
    /// <see cref="FeedbackItem.AcknowledgeWithinDays"/>; acknowledged, to act on or decline, and actioned, to
    /// tell the business, both within <see cref="FeedbackItem.CloseLoopWithinDays"/> of receipt.
    /// </summary>
    public static AgendaEntry FeedbackEntry(AgendaFeedback f, string department, DateTimeOffset now)
    {
        var (step, action, dueAt, since) = FeedbackNextStep(f);
        var what = f.Comment is { } comment ? $"{step}: {EventSummaries.Short(comment)}"
            : f.Rating is { } rating ? $"{step}: rated {rating}/5" : step;
        var untold = f.Status == FeedbackStatus.Declined;
        return new AgendaEntry(AgendaEntryKind.Feedback, f.RelationshipId, department, f.Id, what, dueAt, since, null, untold || dueAt < now, action, untold);
    }

    /// <summary>The step open feedback awaits, the action that takes it, when it falls due, and since when it waits.</summary>
    public static (string Step, AgendaAction Action, DateTimeOffset DueAt, DateTimeOffset Since) FeedbackNextStep(AgendaFeedback f) => f.Status switch
    {
        FeedbackStatus.Declined => ("Declined, not yet told", AgendaAction.RespondToFeedback, f.DeclinedAt ?? f.ReceivedAt, f.DeclinedAt ?? f.ReceivedAt),
        FeedbackStatus.Received => ("To acknowledge", AgendaAction.AcknowledgeFeedback, f.ReceivedAt.AddDays(FeedbackItem.AcknowledgeWithinDays), f.ReceivedAt),
        FeedbackStatus.Acknowledged => ("To act on or decline", AgendaAction.ActionFeedback, f.ReceivedAt.AddDays(FeedbackItem.CloseLoopWithinDays), f.ReceivedAt),
        _ => ("Acted on, to tell the business", AgendaAction.RespondToFeedback, f.ReceivedAt.AddDays(FeedbackItem.CloseLoopWithinDays), f.ReceivedAt),
    };

    private static AgendaEntry Dated(
        AgendaEntryKind kind, Guid relationshipId, string department, Guid subjectId, string what, DateOnly dueOn, DateOnly today, AgendaAction action)
    {
        var dueAt = new DateTimeOffset(dueOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new AgendaEntry(kind, relationshipId, department, subjectId, what, dueAt, dueAt, dueOn, dueOn < today, action);
    }
}
