using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.Tests;

/// <summary>What goes into a department brief, and in which order: <see cref="Briefings.Compose"/>, pure.</summary>
public sealed class BriefingSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Erin = Guid.NewGuid();
    private static readonly Guid Mona = Guid.NewGuid();
    private static readonly Guid Sam = Guid.NewGuid();
    private static readonly Guid Need = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private const string Brm = "brm.jane";

    private static Relationship Relationship(params object[] more) =>
        new object[]
        {
            new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Now.AddYears(-1)),
            Added(Erin, "Erin", StakeholderLevel.Executive),
            Added(Mona, "Mona", StakeholderLevel.Manager),
            Added(Sam, "Sam", StakeholderLevel.Staff),
        }.Concat(more).Aggregate((Relationship?)null, Relationships.Relationship.Fold)!;

    private static StakeholderAdded Added(Guid id, string name, StakeholderLevel level) =>
        new(Finance, id, name, "title", level, null, Degree.Medium, Degree.Medium, Brm, Now.AddYears(-1));

    private static readonly HealthReport NoHealth = new(null, [], new HealthHeadlines(0, null, null, null));

    private static BriefingSources Sources(
        Relationship? relationship = null,
        IReadOnlyDictionary<Guid, Contact>? contacts = null,
        IReadOnlyList<Commitment>? commitments = null,
        IReadOnlyList<FeedbackItem>? feedback = null,
        CommunicationPlan? plan = null,
        IReadOnlyList<Meeting>? conversations = null,
        IReadOnlyList<TimelineEntry>? timeline = null) =>
        new(relationship ?? Relationship(), contacts ?? new Dictionary<Guid, Contact>(), commitments ?? [], feedback ?? [],
            plan ?? CommunicationPlan.Empty(Finance), conversations ?? [], timeline ?? [], new RecentHealth(NoHealth, null, null));

    private static Commitment Promise(string title, DateOnly due, object? then = null) =>
        new object?[]
        {
            new CommitmentMade(Guid.NewGuid(), Finance, title, null, "omar", due, CommitmentDirection.ItToBusiness,
                new CommitmentSource(SourceKind.Other, null, "corridor"), true, Brm, Now.AddDays(-60)),
            then,
        }.OfType<object>().Aggregate((Commitment?)null, Commitment.Fold)!;

    private static FeedbackItem Given(Guid? from, string comment, DateTimeOffset at, params object[] then)
    {
        var id = Guid.NewGuid();
        var received = new FeedbackReceived(id, Finance, from, Channel.Email, null, FeedbackScale.Rating, comment, FeedbackSubject.General, null, Brm, at);
        return then.Select(e => e is Func<Guid, object> f ? f(id) : e).Prepend(received).Aggregate((FeedbackItem?)null, FeedbackItem.Fold)!;
    }

    private static Meeting Chat(DateTimeOffset at, params string[] points) =>
        Meeting.Fold(null, new ConversationLogged(Guid.NewGuid(), Finance, MeetingKind.CoffeeChat, $"chat {at:MM-dd}", at,
            new Conversation([Mona], [], null, [.. points.Select(p => new RaisedPoint(p, RaisedPointKind.Concern))], null), Brm, at));

    [Fact]
    public void Every_level_is_shown_in_order_with_its_coverage_and_who_was_not_talked_to()
    {
        var contacts = new Dictionary<Guid, Contact>
        {
            [Mona] = new(Mona, Guid.NewGuid(), MeetingKind.CoffeeChat, Now.AddDays(-2).AddHours(-1)),
            [Sam] = new(Sam, Guid.NewGuid(), MeetingKind.Workshop, Now.AddDays(-91)),
        };

        var brief = Briefings.Compose(Sources(contacts: contacts), Now);

        Assert.Equal(
            [(StakeholderLevel.Executive, 0, 1), (StakeholderLevel.Manager, 1, 1), (StakeholderLevel.Staff, 0, 1)],
            brief.Levels.Select(l => (l.Level, l.Coverage.Contacted, l.Coverage.Total)));
        Assert.Equal([(int?)null, 2, 91], brief.Levels.SelectMany(l => l.Stakeholders).Select(s => s.DaysSinceContact));
        Assert.Equal([Erin, Sam], brief.NotContacted.Select(s => s.Stakeholder.Id));
    }

    [Fact]
    public void Overdue_commitments_come_first_then_by_due_date_and_closed_ones_are_left_out()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var later = Promise("Later", today.AddDays(20));
        var soon = Promise("Soon", today.AddDays(1));
        var late = Promise("Late", today.AddDays(-3));
        var dueToday = Promise("Due today", today);
        var delivered = Promise("Delivered", today.AddDays(-10));
        delivered = Commitment.Fold(delivered, new CommitmentDelivered(delivered.Id, Finance, null, Brm, Now.AddDays(-9)));

        var brief = Briefings.Compose(Sources(commitments: [later, soon, delivered, late, dueToday]), Now);

        Assert.Equal(["Late", "Due today", "Soon", "Later"], brief.OpenCommitments.Select(c => c.Title));
        Assert.Equal(1, brief.OverdueCommitments);
    }

    [Fact]
    public void Untold_declines_lead_the_open_feedback_then_the_overdue_and_closed_loops_are_left_out()
    {
        var fresh = Given(null, "fresh", Now.AddHours(-2));
        var unacknowledged = Given(Sam, "waiting", Now.AddDays(-5));
        var declined = Given(Mona, "declined", Now.AddDays(-1),
            (Func<Guid, object>)(id => new FeedbackDeclined(id, Finance, "no budget", Brm, Now.AddHours(-3))));
        var told = Given(Erin, "told", Now.AddDays(-9),
            (Func<Guid, object>)(id => new FeedbackDeclined(id, Finance, "no budget", Brm, Now.AddDays(-8))),
            (Func<Guid, object>)(id => new FeedbackResponseSent(id, Finance, "sorry", Channel.Email, [Erin], Brm, Now.AddDays(-7))));

        var brief = Briefings.Compose(Sources(feedback: [fresh, told, unacknowledged, declined]), Now);

        Assert.Equal(
            [("declined", "Mona", "Declined, not yet told", true), ("waiting", "Sam", "To acknowledge", true), ("fresh", null, "To acknowledge", false)],
            brief.OpenFeedback.Select(f => (f.Item.Comment, f.From, f.Awaiting, f.Next.Overdue)));
        Assert.Equal(1, brief.UntoldDeclines);
    }

    [Fact]
    public void A_need_names_who_raised_it_and_the_active_plan_items_that_answer_it()
    {
        var relationship = Relationship(
            new InformationNeedRecorded(Finance, Need, "outage summary", Priority.High, Mona, Brm, Now.AddDays(-40)),
            new InformationNeedRecorded(Finance, Guid.NewGuid(), "roadmap", Priority.Low, null, Brm, Now.AddDays(-30)));
        var plan = new object[]
        {
            new PlanItemAdded(CommunicationPlan.IdFor(Finance), Finance, Guid.NewGuid(), "Monthly update", Need, Channel.Email, "all", Cadence.Monthly, Brm,
                new DateOnly(2026, 9, 1), Brm, Now.AddDays(-40)),
            new PlanItemAdded(CommunicationPlan.IdFor(Finance), Finance, Guid.NewGuid(), "Newsletter", null, Channel.Newsletter, "all", Cadence.Quarterly, Brm,
                new DateOnly(2026, 9, 1), Brm, Now.AddDays(-40)),
        }.Aggregate((CommunicationPlan?)null, CommunicationPlan.Fold)!;

        var brief = Briefings.Compose(Sources(relationship: relationship, plan: plan), Now);

        Assert.Equal([("outage summary", "Mona", "Monthly update"), ("roadmap", null, "")],
            brief.TwoQuestions.Needs.Select(n => (n.Need.Description, n.RaisedBy, string.Join(",", n.AnsweredBy))));
        Assert.Equal(["Monthly update", "Newsletter"], brief.PlanItems.Select(i => i.What));
    }

    [Fact]
    public void The_two_questions_were_last_asked_when_a_need_was_recorded_or_retired_or_a_preference_recorded()
    {
        var never = Briefings.Compose(Sources(), Now).TwoQuestions;
        var asked = Briefings.Compose(Sources(relationship: Relationship(
            new InformationNeedRecorded(Finance, Need, "outage summary", Priority.High, null, Brm, Now.AddDays(-200)),
            new CommunicationPreferenceRecorded(Finance, Channel.Email, "all staff", null, Brm, Now.AddDays(-100)),
            new InformationNeedRetired(Finance, Need, "met", Brm, Now.AddDays(-20)))), Now).TwoQuestions;

        Assert.Equal((null, null, null), (never.NeedsLastRecordedAt, never.PreferencesLastRecordedAt, never.LastAskedAt));
        Assert.Equal((Now.AddDays(-20), Now.AddDays(-100), Now.AddDays(-20)), (asked.NeedsLastRecordedAt, asked.PreferencesLastRecordedAt, asked.LastAskedAt));
        Assert.Empty(asked.Needs);
    }

    [Fact]
    public void A_review_that_confirms_the_answers_unchanged_counts_as_asking_them()
    {
        var reviewed = Briefings.Compose(Sources(relationship: Relationship(
            new CommunicationPreferenceRecorded(Finance, Channel.Email, "all staff", null, Brm, Now.AddDays(-400)),
            new NeedsAndPreferencesReviewed(Finance, Brm, Now.AddDays(-3)))), Now).TwoQuestions;

        Assert.Equal((Now.AddDays(-400), Now.AddDays(-3)), (reviewed.PreferencesLastRecordedAt, reviewed.LastAskedAt));
    }

    [Fact]
    public void Raised_points_come_from_the_newest_ten_conversations_newest_first_at_most_twenty()
    {
        var conversations = Enumerable.Range(1, 12).Select(i => Chat(Now.AddDays(-i), $"day {i} first", $"day {i} second", $"day {i} third")).Reverse().ToList();

        var points = Briefings.Compose(Sources(conversations: conversations), Now).RaisedPoints;

        Assert.Equal(BriefingLimits.RaisedPoints, points.Count);
        Assert.Equal(["day 1 first", "day 1 second", "day 1 third", "day 2 first"], points.Take(4).Select(p => p.Point.Text));
        Assert.Equal("day 7 second", points[^1].Point.Text);
    }

    [Fact]
    public void The_timeline_shows_the_newest_twenty_lines_newest_first()
    {
        var timeline = Enumerable.Range(1, 25)
            .Select(i => new TimelineEntry(i, Finance, Finance, "department_renamed", $"line {i}", Brm, Now.AddMinutes(i))).ToList();

        var brief = Briefings.Compose(Sources(timeline: timeline), Now);

        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => (long)i), brief.Timeline.Select(e => e.Id));
    }

    [Fact]
    public void Whole_days_round_down_and_never_go_negative()
    {
        Assert.Equal((0, 0, 1, 90), (
            Briefings.WholeDays(Now, Now.AddHours(23)),
            Briefings.WholeDays(Now, Now.AddHours(-1)),
            Briefings.WholeDays(Now, Now.AddDays(1)),
            Briefings.WholeDays(Now.AddDays(-90), Now)));
    }
}
