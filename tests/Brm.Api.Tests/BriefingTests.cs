using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>The department brief: everything before a meeting with Finance, in one answer, against a scripted history.</summary>
public sealed class BriefingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static DateOnly Today(int days) => DateOnly.FromDateTime(Now.AddDays(days).UtcDateTime);

    [Fact]
    public async Task Finances_brief_shows_who_was_talked_to_what_they_need_what_is_owed_and_what_they_raised()
    {
        var manager = UniqueManager();
        var (finance, script) = await ScriptedFinanceAsync(manager);
        await api.WaitForProjectionsAsync();

        var brief = await api.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = finance.Id });

        Assert.Equal((finance.Id, finance.Relationship.Code, "Finance", manager), (brief.Relationship.Id, brief.Relationship.Code, brief.Relationship.Name, brief.Relationship.Manager));
        Assert.Equal(At(Now), brief.AsOf);
        Assert.Equal(90, brief.CoverageWindowDays);

        // Stakeholders by level, each with their last contact; who nobody has talked to within 90 days.
        Assert.Equal(
            [
                (StakeholderLevel.Executive, 0, 1, new[] { ("Erin", (int?)null, false) }),
                (StakeholderLevel.Manager, 1, 2, new[] { ("Mona", (int?)3, true), ("Mark", 95, false) }),
                (StakeholderLevel.Staff, 1, 2, new[] { ("Sam", (int?)3, true), ("Sid", null, false) }),
            ],
            brief.StakeholderLevels.Select(l => (l.Level, l.Coverage.Contacted, l.Coverage.Total,
                l.Stakeholders.Select(s => (s.Stakeholder.Name, s.HasDaysSinceContact ? s.DaysSinceContact : (int?)null, s.ContactedWithinWindow)).ToArray())));
        var mona = brief.StakeholderLevels[1].Stakeholders[0];
        Assert.Equal((At(Now.AddDays(-3)), MeetingKind.CoffeeChat, script.MonthEndChatId, "Manager of Finance"),
            (mona.LastContactAt, mona.LastContactKind, mona.LastContactMeetingId, mona.Stakeholder.Title));
        Assert.Equal(["Erin", "Sid", "Mark"], brief.NotContacted.Select(s => s.Stakeholder.Name));
        Assert.Null(brief.NotContacted[0].LastContactAt);

        // The two questions, and when they were last asked.
        var questions = brief.TwoQuestions;
        var need = Assert.Single(questions.InformationNeeds);
        Assert.Equal(("Monthly outage summary", Priority.High, "Mona"), (need.Need.Description, need.Need.Priority, need.RaisedByName));
        Assert.Equal(["Monthly IT update"], need.AnsweredBy);
        Assert.Equal([(Channel.Email, "all staff")], questions.CommunicationPreferences.Select(p => (p.Channel, p.Audience)));
        Assert.Equal((At(Now.AddDays(-100)), At(Now.AddDays(-50)), At(Now.AddDays(-50)), 50),
            (questions.NeedsLastRecordedAt, questions.PreferencesLastRecordedAt, questions.LastAskedAt, questions.DaysSinceAsked));

        // Open commitments, the overdue one first and marked.
        Assert.Equal([("Fix the duplicate invoices", true), ("Run month-end reports overnight", false)],
            brief.OpenCommitments.Select(c => (c.Title, c.Overdue)));
        Assert.Equal(1, brief.OverdueCommitments);

        // Open feedback loops, the untold decline first.
        Assert.Equal(
            [
                ("A second laptop for everyone, please", "Sid", true, "Declined, not yet told", true, "brm.v1.FeedbackService/RespondToFeedback", At(Now.AddDays(-19))),
                ("The VPN drops every morning", "", false, "To acknowledge", false, "brm.v1.FeedbackService/AcknowledgeFeedback", At(Now.AddDays(1))),
            ],
            brief.OpenFeedback.Select(f => (f.Feedback.Comment, f.FromName, f.UntoldDecline, f.Awaiting, f.Overdue, f.ActsOn, f.DueAt)));
        Assert.Equal(1, brief.UntoldDeclines);
        Assert.Equal(FeedbackBuilders.BudgetReason, brief.OpenFeedback[0].Feedback.Declined.Text);

        // The plan, as GetPlan shows it (only its active items).
        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;
        Assert.Equal(plan.Items.Where(i => !i.Retired), brief.PlanItems);
        Assert.Equal(["Monthly IT update"], brief.PlanItems.Select(i => i.What));
        Assert.Equal(plan.Adherence, brief.PlanAdherence);
        Assert.Equal((1, 1, true), (brief.PlanAdherence.OnTime, brief.PlanAdherence.Missed, brief.PlanItems[0].Overdue));

        // Health, signal by signal, and its trend: as GetRelationshipHealth answers it.
        var health = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = finance.Id });
        Assert.Equal(health.Signals, brief.Health.Signals);
        Assert.Equal((health.Score, health.Score30DaysAgo, health.Score90DaysAgo), (brief.Health.Score, brief.Health.Score30DaysAgo, brief.Health.Score90DaysAgo));
        Assert.True(brief.Health.HasScore && brief.Health.HasScore30DaysAgo && brief.Health.HasScore90DaysAgo);
        Assert.Contains(brief.Health.Signals, s => s.Name == "declines_not_told" && s.Value == "1");

        // The last points the business raised, newest conversation first, with where and who.
        Assert.Equal(
            [
                ("Invoices from the new supplier portal arrive twice.", RaisedPointKind.Concern, "Month-end", script.MonthEndChatId),
                ("Can month-end reports run overnight instead of 9am?", RaisedPointKind.Request, "Month-end", script.MonthEndChatId),
                ("Budget season is busy: keep changes small.", RaisedPointKind.Concern, "", script.OldChatId),
            ],
            brief.RaisedPoints.Select(p => (p.Point.Text, p.Point.Kind, p.MeetingTopic, p.MeetingId)));
        Assert.Equal(["Mona", "Sam"], brief.RaisedPoints[0].Attendees.Select(a => a.Name));
        Assert.Equal((At(Now.AddDays(-3)), MeetingKind.CoffeeChat), (brief.RaisedPoints[0].HeldAt, brief.RaisedPoints[0].MeetingKind));

        // The timeline's newest lines, as GetTimeline pages them, and how fresh it is.
        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 20 });
        Assert.Equal(timeline.Entries, brief.Timeline);
        Assert.Equal(18, brief.Timeline.Count); // every event of the script: fewer than the 20 a brief shows
        Assert.Equal("communication_delivered", brief.Timeline[0].EventType);
        Assert.Equal(brief.Freshness.HighWaterMark, brief.Freshness.Position);
    }

    [Fact]
    public async Task A_department_with_nothing_recorded_has_an_empty_brief_with_every_level()
    {
        api.Clock.Set(Now);
        var quiet = await api.DepartmentAsync("Quiet", []);

        var brief = await api.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = quiet.Id });

        Assert.Equal([StakeholderLevel.Executive, StakeholderLevel.Manager, StakeholderLevel.Staff], brief.StakeholderLevels.Select(l => l.Level));
        Assert.All(brief.StakeholderLevels, l => Assert.Equal((0, 0), (l.Coverage.Contacted, l.Coverage.Total)));
        Assert.Empty(brief.NotContacted);
        Assert.Empty(brief.TwoQuestions.InformationNeeds);
        Assert.Null(brief.TwoQuestions.LastAskedAt);
        Assert.False(brief.TwoQuestions.HasDaysSinceAsked);
        Assert.Empty(brief.OpenCommitments);
        Assert.Empty(brief.OpenFeedback);
        Assert.Empty(brief.PlanItems);
        Assert.False(brief.PlanAdherence.HasOnTimeShare);
        Assert.False(brief.Health.HasScore);
        Assert.Empty(brief.RaisedPoints);
    }

    [Fact]
    public async Task Every_role_may_read_any_brief_and_a_brm_need_not_own_the_department()
    {
        api.Clock.Set(Now);
        var finance = await api.DepartmentAsync("Finance", [("Erin", StakeholderLevel.Executive)], "brm.owner");

        foreach (var (name, role) in new[] { ("brm.someone.else", Role.Brm), ("reporter.tests", Role.Reporter) })
        {
            var reporting = new ReportingService.ReportingServiceClient(api.ChannelAs(name, role));
            var brief = await reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = finance.Id });
            Assert.Equal("Erin", brief.NotContacted.Single().Stakeholder.Name);
        }
    }

    [Fact]
    public async Task An_unknown_id_or_another_streams_id_is_not_found_and_a_bad_one_is_invalid_argument()
    {
        api.Clock.Set(Now);
        var finance = await api.DepartmentAsync("Finance", [("Erin", StakeholderLevel.Executive)]);
        var chat = await api.Meetings.LogConversationAsync(Conversation(finance, Now.AddHours(-1), "Erin"));

        await FailsWith(StatusCode.NotFound, api.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = Guid.NewGuid().ToString() }));
        await FailsWith(StatusCode.NotFound, api.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = chat.Meeting.Id }));
        var bad = await FailsWith(StatusCode.InvalidArgument, api.Reporting.GetBriefingAsync(new GetBriefingRequest { RelationshipId = "finance" }));
        var empty = await FailsWith(StatusCode.InvalidArgument, api.Reporting.GetBriefingAsync(new GetBriefingRequest()));

        Assert.Equal(["relationship_id"], bad.ViolatedFields());
        Assert.Equal(["relationship_id"], empty.ViolatedFields());
    }

    private sealed record Script(string MonthEndChatId, string OldChatId);

    /// <summary>
    /// Finance, registered 100 days ago with Erin (executive), Mona and Mark (managers), Sam and Sid (staff). Mark was
    /// talked to 95 days ago (he raised a point), Mona and Sam 3 days ago at a coffee chat on month-end (two points).
    /// Mona's need for a monthly outage summary was recorded 100 days ago; a preference for email 50 days ago. A
    /// monthly IT update answers the need from 1 August: August's went out on time, September's never. A commitment
    /// made 30 days ago was due 5 days ago; another is due in 10 days. Sid's wish for a second laptop was declined
    /// 19 days ago and he was not told; an anonymous complaint came in yesterday.
    /// </summary>
    private async Task<(Department Finance, Script Script)> ScriptedFinanceAsync(string manager)
    {
        api.Clock.Set(Now.AddDays(-100));
        var finance = await api.DepartmentAsync("Finance",
        [
            ("Erin", StakeholderLevel.Executive), ("Mona", StakeholderLevel.Manager), ("Mark", StakeholderLevel.Manager),
            ("Sam", StakeholderLevel.Staff), ("Sid", StakeholderLevel.Staff),
        ], manager);

        var need = await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "Monthly outage summary", Priority = Priority.High, RaisedByStakeholderId = finance["Mona"],
        });
        var item = Item(finance.Id, "Monthly IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 8, 1));
        item.Item.InformationNeedId = need.InformationNeedId;
        var update = await api.Plans.AddPlanItemAsync(item);

        api.Clock.Set(Now.AddDays(-95));
        var old = Conversation(finance, Now.AddDays(-95), "Mark");
        old.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Budget season is busy: keep changes small.", Kind = RaisedPointKind.Concern });
        var oldChat = await api.Meetings.LogConversationAsync(old);

        api.Clock.Set(Now.AddDays(-50));
        await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Email, Audience = "all staff",
        });

        api.Clock.Set(Now.AddDays(-30));
        await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "Fix the duplicate invoices", Today(-5)));
        await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "Run month-end reports overnight", Today(10)));

        api.Clock.Set(Now.AddDays(-20));
        var laptops = await api.Feedback.SubmitAsync(Give(finance, "Sid", "A second laptop for everyone, please"));
        api.Clock.Set(Now.AddDays(-19));
        await api.Feedback.AcknowledgeAsync(laptops);
        await api.Feedback.DeclineAsync(laptops);

        api.Clock.Set(Now.AddDays(-3));
        var chat = Conversation(finance, Now.AddDays(-3), "Mona", "Sam");
        chat.Topic = "Month-end";
        chat.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Invoices from the new supplier portal arrive twice.", Kind = RaisedPointKind.Concern });
        chat.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Can month-end reports run overnight instead of 9am?", Kind = RaisedPointKind.Request });
        var monthEnd = await api.Meetings.LogConversationAsync(chat);

        api.Clock.Set(Now.AddDays(-1));
        await api.Feedback.SubmitAsync(Give(finance, null, "The VPN drops every morning"));

        api.Clock.Set(Now);
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, On(2026, 8, 25), "August IT update"));
        return (finance, new Script(monthEnd.Meeting.Id, oldChat.Meeting.Id));
    }
}
