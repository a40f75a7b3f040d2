using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Marten;

namespace Brm.Domain.Reporting;

/// <summary>How much of each list a department brief carries.</summary>
public static class BriefingLimits
{
    /// <summary>The raised points come from this many of the newest held meetings and logged conversations...</summary>
    public const int Conversations = 10;

    /// <summary>...and are at most this many.</summary>
    public const int RaisedPoints = 20;

    /// <summary>The newest lines of the timeline a brief shows.</summary>
    public const int TimelineEntries = 20;

    /// <summary>The contact window, as GetStakeholderCoverage's default and the health's coverage signal.</summary>
    public const int CoverageWindowDays = HealthWeights.CoverageWindowDays;
}

/// <summary>A current stakeholder, their last contact (null: never), whether it falls within the window, and how many whole days ago it was.</summary>
public sealed record BriefingStakeholder(Stakeholder Stakeholder, Contact? LastContact, bool WithinWindow, int? DaysSinceContact);

/// <summary>One level of stakeholders: its coverage and its current stakeholders, in the order they were added.</summary>
public sealed record BriefingLevel(StakeholderLevel Level, CoverageCount Coverage, IReadOnlyList<BriefingStakeholder> Stakeholders);

/// <summary>An active information need, who raised it (null: not recorded or no longer known) and what in the plan answers it.</summary>
public sealed record BriefingNeed(InformationNeed Need, string? RaisedBy, IReadOnlyList<string> AnsweredBy);

/// <summary>
/// The two questions (what information do you need from IT, how do you want to hear it): the answers on record,
/// when each was last given, and <see cref="LastAskedAt"/>: when the department was last asked, as health counts it
/// (the later of the two, or a review that confirmed them unchanged); null when never asked.
/// </summary>
public sealed record BriefingTwoQuestions(
    IReadOnlyList<BriefingNeed> Needs,
    IReadOnlyList<CommunicationPreference> Preferences,
    DateTimeOffset? NeedsLastRecordedAt,
    DateTimeOffset? PreferencesLastRecordedAt,
    DateTimeOffset? LastAskedAt);

/// <summary>Open feedback, who gave it (null: anonymous or no longer known), and the step it awaits (as the agenda judges it).</summary>
public sealed record BriefingFeedback(FeedbackItem Item, string? From, string Awaiting, AgendaEntry Next);

/// <summary>A point the business raised, and the conversation it was raised in.</summary>
public sealed record BriefingPoint(RaisedPoint Point, Meeting Conversation);

/// <summary>
/// What a brief is composed from, all of one relationship: the documents as they are now, its newest held
/// conversations (newest first) and timeline lines (newest first), and its health now, 30 and 90 days ago.
/// </summary>
public sealed record BriefingSources(
    Relationship Relationship,
    IReadOnlyDictionary<Guid, Contact> LastContacts,
    IReadOnlyList<Commitment> Commitments,
    IReadOnlyList<FeedbackItem> Feedback,
    CommunicationPlan Plan,
    IReadOnlyList<Meeting> Conversations,
    IReadOnlyList<TimelineEntry> Timeline,
    RecentHealth Health);

/// <summary>Everything a BRM reads before meeting a department, on one screen (see <see cref="Briefings.Compose"/>).</summary>
public sealed record Briefing(
    Relationship Relationship,
    DateTimeOffset AsOf,
    IReadOnlyList<BriefingLevel> Levels,
    IReadOnlyList<BriefingStakeholder> NotContacted,
    BriefingTwoQuestions TwoQuestions,
    IReadOnlyList<Commitment> OpenCommitments,
    IReadOnlyList<BriefingFeedback> OpenFeedback,
    IReadOnlyList<PlanItem> PlanItems,
    CommunicationPlan Plan,
    RecentHealth Health,
    IReadOnlyList<BriefingPoint> RaisedPoints,
    IReadOnlyList<TimelineEntry> Timeline)
{
    public int OverdueCommitments => OpenCommitments.Count(c => c.IsOverdue(Today));

    public int UntoldDeclines => OpenFeedback.Count(f => f.Next.UntoldDecline);

    /// <summary>The day (UTC) due dates are judged against.</summary>
    public DateOnly Today => DateOnly.FromDateTime(AsOf.UtcDateTime);
}

/// <summary>The department brief, pure: what goes in it and in which order.</summary>
public static class Briefings
{
    /// <summary>
    /// Composes the brief at <paramref name="now"/>. Stakeholders: every level (executive, manager, staff), each with
    /// its coverage over <see cref="BriefingLimits.CoverageWindowDays"/> days, and who was not talked to within it
    /// (never contacted first). Open commitments: overdue first, then by due date and title. Open feedback: untold
    /// declines first, then the overdue, then by when the next step falls due. Plan: the active items. Raised points:
    /// from the newest <see cref="BriefingLimits.Conversations"/> held conversations, newest first, at most
    /// <see cref="BriefingLimits.RaisedPoints"/>. Names are looked up in the relationship (removed stakeholders it
    /// still keeps included).
    /// </summary>
    public static Briefing Compose(BriefingSources sources, DateTimeOffset now)
    {
        var relationship = sources.Relationship;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var coverage = RelationshipCoverage.Of(relationship, sources.LastContacts, now.AddDays(-BriefingLimits.CoverageWindowDays));
        BriefingStakeholder Brief(StakeholderContact s) =>
            new(s.Stakeholder, s.LastContact, s.WithinWindow, s.LastContact is { } c ? WholeDays(c.At, now) : null);

        var levels = Enum.GetValues<StakeholderLevel>()
            .Select(level => new BriefingLevel(
                level, CoverageCount.Of(coverage.Stakeholders, level), [.. coverage.Stakeholders.Where(s => s.Stakeholder.Level == level).Select(Brief)]))
            .ToList();

        var openCommitments = sources.Commitments.Where(c => !c.IsClosed)
            .OrderByDescending(c => c.IsOverdue(today)).ThenBy(c => c.DueDate).ThenBy(c => c.Title, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id)
            .ToList();

        var openFeedback = sources.Feedback.Where(f => !f.LoopClosed)
            .Select(f => (Item: f, Loop: AgendaFeedback.Of(f)))
            .Select(f => new BriefingFeedback(
                f.Item, NameOf(relationship, f.Item.FromStakeholderId), Agenda.FeedbackNextStep(f.Loop).Step, Agenda.FeedbackEntry(f.Loop, relationship.Name, now)))
            .OrderByDescending(f => f.Next.UntoldDecline).ThenByDescending(f => f.Next.Overdue).ThenBy(f => f.Next.DueAt).ThenBy(f => f.Item.Id)
            .ToList();

        var planItems = sources.Plan.ActiveItems().ToList();
        var needs = relationship.ActiveInformationNeeds()
            .Select(n => new BriefingNeed(n, NameOf(relationship, n.RaisedByStakeholderId),
                [.. planItems.Where(i => i.InformationNeedId == n.Id).Select(i => i.What)]))
            .ToList();

        var points = sources.Conversations.Where(m => m.Held is not null)
            .OrderByDescending(m => m.OccursAt).ThenByDescending(m => m.Id)
            .Take(BriefingLimits.Conversations)
            .SelectMany(m => m.Held!.Conversation.BusinessRaised.Select(p => new BriefingPoint(p, m)))
            .Take(BriefingLimits.RaisedPoints)
            .ToList();

        return new Briefing(
            relationship,
            now,
            levels,
            [.. coverage.NotContacted().Select(Brief)],
            new BriefingTwoQuestions(
                needs, relationship.CommunicationPreferences, NeedsLastRecordedAt(relationship), PreferencesLastRecordedAt(relationship), relationship.TwoQuestionsAskedAt()),
            openCommitments,
            openFeedback,
            planItems,
            sources.Plan,
            sources.Health,
            points,
            [.. sources.Timeline.OrderByDescending(e => e.Id).Take(BriefingLimits.TimelineEntries)]);
    }

    /// <summary>
    /// When an information need was last recorded or retired (the department answered the first question); null when
    /// never. Retired needs dropped from the document ended before the ones it keeps, so they never hold the newest date.
    /// </summary>
    public static DateTimeOffset? NeedsLastRecordedAt(Relationship r) =>
        r.InformationNeeds.Select(n => (DateTimeOffset?)(n.RetiredAt ?? n.RecordedAt)).Max();

    /// <summary>When a communication preference was last recorded (the department answered the second question); null when never.</summary>
    public static DateTimeOffset? PreferencesLastRecordedAt(Relationship r) =>
        r.CommunicationPreferences.Select(p => (DateTimeOffset?)p.RecordedAt).Max();

    /// <summary>Whole days from <paramref name="from"/> to <paramref name="to"/> (0 within the first day; never negative).</summary>
    public static int WholeDays(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (int)Math.Floor((to - from).TotalDays));

    /// <summary>The stakeholder's name as the relationship knows it; null when none is given or no longer known.</summary>
    private static string? NameOf(Relationship r, Guid? stakeholderId) =>
        stakeholderId is { } id ? r.Stakeholders.Find(s => s.Id == id)?.Name : null;
}

public static class BriefingQueries
{
    /// <summary>
    /// The brief of one relationship at <paramref name="now"/>: read from the inline documents (relationship, its
    /// history for health, meetings) and the timeline, with health as GetRelationshipHealth computes it
    /// (<see cref="HealthTrend.Recent"/>: now, and 30 and 90 days ago). NOT_FOUND when there is no such relationship.
    /// </summary>
    public static async Task<Briefing> BriefingAsync(this IQuerySession session, Guid relationshipId, DateTimeOffset now, HealthPolicy policy, CancellationToken ct)
    {
        var relationship = await session.GetAsync(relationshipId, ct);
        var history = await session.HealthHistoryAsync(relationship.Id, policy, ct);
        var sources = new BriefingSources(
            relationship,
            history.LastContacts(now),
            history.Commitments,
            history.Feedback,
            history.Plan ?? CommunicationPlan.Empty(relationship.Id),
            await session.ListMeetingsAsync(
                new MeetingFilter(relationship.Id, null, null, null, MeetingStatus.Held), after: null, BriefingLimits.Conversations, ct),
            await session.TimelinePageAsync(relationship.Id, before: null, BriefingLimits.TimelineEntries, ct),
            HealthTrend.Recent(history, relationship, now));
        return Briefings.Compose(sources, now);
    }
}
