using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.Calendar;

/// <summary>What a calendar entry is about; its name starts the entry's UID.</summary>
public enum CalendarEntryKind
{
    Meeting = 1,
    Commitment = 2,
    Communication = 3,
    Feedback = 4,
}

/// <summary>An invited stakeholder with a known address: a meeting's ATTENDEE.</summary>
public sealed record CalendarAttendee(string Name, string Email);

/// <summary>
/// One entry of a calendar: a meeting (<see cref="Start"/> to <see cref="End"/>) or a day (<see cref="Day"/>: a commitment
/// due, a communication due, feedback to answer). <see cref="Uid"/> is stable (the kind and the subject's id), so a client
/// replaces the entry it holds when the subject changes; <see cref="Sequence"/> and <see cref="LastModified"/> say how
/// recent it is.
/// </summary>
public sealed record CalendarEntry(
    CalendarEntryKind Kind,
    Guid SubjectId,
    string Summary,
    string Description,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    DateOnly? Day,
    bool Cancelled,
    string? Location,
    string? Organiser,
    IReadOnlyList<CalendarAttendee> Attendees,
    int Sequence,
    DateTimeOffset LastModified)
{
    /// <summary>The domain of every UID, so that ours never collide with another producer's.</summary>
    public const string UidDomain = "brm-crm";

    public string Uid => UidOf(Kind, SubjectId);

    public static string UidOf(CalendarEntryKind kind, Guid subjectId) => $"{kind.ToString().ToLowerInvariant()}-{subjectId}@{UidDomain}";
}

/// <summary>What one BRM's feed is built from, all read for the departments they manage (<see cref="CalendarQueries"/>).</summary>
public sealed record CalendarSources(
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<Meeting> Meetings,
    IReadOnlyList<Commitment> OpenCommitments,
    IReadOnlyList<CommunicationPlan> Plans,
    IReadOnlyList<FeedbackItem> OpenFeedback);

/// <summary>
/// A BRM's calendar, pure: the meetings of their departments (scheduled, held or cancelled, with the invited stakeholders
/// whose address the department records), the open commitments on their due day, each active plan item's next
/// communication on its due day, and the open feedback on the day its next step is due. Personal data is only what the BRM
/// reads in the service anyway, and less: no feedback comment, no one's name but invited stakeholders'.
/// </summary>
public static class CalendarEntries
{
    /// <summary>How far back the feed shows meetings.</summary>
    public const int PastDays = 90;

    /// <summary>How far ahead the feed shows anything.</summary>
    public const int FutureDays = 366;

    public static IReadOnlyList<CalendarEntry> Of(CalendarSources sources, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var departments = sources.Relationships.ToDictionary(r => r.Id);
        string Department(Guid id) => departments.TryGetValue(id, out var r) ? r.Name : "";

        var meetings =
            from m in sources.Meetings
            where m.Schedule is not null && departments.ContainsKey(m.RelationshipId)
            select Meeting(m, departments[m.RelationshipId], forAttendees: false);

        var commitments =
            from c in sources.OpenCommitments
            where !c.IsClosed
            select new CalendarEntry(CalendarEntryKind.Commitment, c.Id, $"Due: {EventSummaries.OneLine(c.Title)} ({Department(c.RelationshipId)})",
                $"A commitment to {Department(c.RelationshipId)}, owned by {c.Owner}, {(c.Status == CommitmentStatus.InProgress ? "in progress" : "open")}"
                + (c.IsOverdue(today) ? ", overdue." : ".") + (c.Renegotiations > 0 ? $" Its due date was moved {Times(c.Renegotiations)}." : ""),
                null, null, c.DueDate, false, null, null, [], (int)c.Version, c.UpdatedAt);

        var communications =
            from plan in sources.Plans
            from item in plan.ActiveItems()
            let due = item.NextDueOn(today)
            where due is not null
            select new CalendarEntry(CalendarEntryKind.Communication, item.Id, $"Send: {EventSummaries.OneLine(item.What)} ({Department(plan.RelationshipId)})",
                $"The {item.Cadence.ToString().ToLowerInvariant()} communication to {item.Audience} ({Words(item.Channel)}), owned by {item.Owner}"
                + (due < today ? ", overdue." : "."),
                null, null, due, false, null, null, [], (int)plan.Version, plan.UpdatedAt);

        var feedback =
            from f in sources.OpenFeedback
            where !f.LoopClosed
            let next = Agenda.FeedbackNextStep(AgendaFeedback.Of(f))
            select new CalendarEntry(CalendarEntryKind.Feedback, f.Id, $"Feedback: {next.Step} ({Department(f.RelationshipId)})",
                $"Feedback from {Department(f.RelationshipId)} received {f.ReceivedAt:yyyy-MM-dd}" + (f.Rating is { } rating ? $", rated {rating}." : ".")
                + (f.Status == FeedbackStatus.Declined ? " It was declined and the business has not been told why: tell them." : "")
                + " Its words are in the service.",
                null, null, DateOnly.FromDateTime(next.DueAt.UtcDateTime), false, null, null, [], (int)f.Version, f.UpdatedAt);

        var lastDay = today.AddDays(FutureDays);
        return
        [
            .. meetings.Concat(commitments.Concat(communications).Concat(feedback).Where(e => e.Day <= lastDay))
                .OrderBy(e => e.Start ?? new DateTimeOffset(e.Day!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
                .ThenBy(e => e.Kind)
                .ThenBy(e => e.SubjectId),
        ];
    }

    /// <summary>
    /// A scheduled meeting (not a conversation nobody scheduled) as a calendar entry: in the BRM's feed, its summary names
    /// the department; for the stakeholders invited (<paramref name="forAttendees"/>), IT.
    /// </summary>
    public static CalendarEntry Meeting(Meeting m, Relationship relationship, bool forAttendees)
    {
        var schedule = m.Schedule ?? throw new InvalidOperationException($"meeting {m.Id} was never scheduled");
        var topic = m.Topic is { Length: > 0 } t ? EventSummaries.OneLine(t) : Words(m.Kind);
        var attendees = schedule.InvitedStakeholderIds
            .Select(id => relationship.Stakeholders.FirstOrDefault(s => s.Id == id))
            .Where(s => s is { IsCurrent: true, Erased: false, Email.Length: > 0 })
            .Select(s => new CalendarAttendee(s!.Name, s.Email!))
            .ToList();
        var description = $"{Words(m.Kind)} between IT and {relationship.Name}, organised by {schedule.Organiser}."
            + (m.Cancellation is { } c ? $" Cancelled: {EventSummaries.OneLine(c.Reason)}" : "");
        return new CalendarEntry(CalendarEntryKind.Meeting, m.Id, forAttendees ? $"{topic} (IT)" : $"{topic} ({relationship.Name})", description,
            schedule.Start, schedule.Start.AddMinutes(schedule.DurationMinutes), null, m.Status == MeetingStatus.Cancelled, schedule.Location,
            schedule.Organiser, attendees, m.Sequence, m.UpdatedAt);
    }

    private static string Times(int count) => count == 1 ? "once" : $"{count} times";

    private static string Words(MeetingKind kind) => kind switch
    {
        MeetingKind.FaceToFace => "A face-to-face meeting",
        MeetingKind.TeamMeetingSlot => "A slot in a team meeting",
        MeetingKind.CoffeeChat => "A coffee chat",
        MeetingKind.ServiceReview => "A service review",
        MeetingKind.Workshop => "A workshop",
        _ => "A remote meeting",
    };

    private static string Words(Channel channel) => channel switch
    {
        Channel.FaceToFace => "face to face",
        Channel.TeamMeeting => "in a team meeting",
        Channel.WebForm => "web form",
        _ => channel.ToString().ToLowerInvariant(),
    };
}
