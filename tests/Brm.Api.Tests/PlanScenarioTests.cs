using Brm.Api.Tests.Support;
using Brm.V1;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>Issue 6's "done when", and the agenda of a BRM with two departments.</summary>
public sealed class PlanScenarioTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Finance_plan_after_a_quarter_with_one_late_and_one_missed_update_and_the_BRMs_agenda()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 8, 3));
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Executive)], brm);
        await api.Relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest
        {
            RelationshipId = finance.Id, Channel = Channel.Email, Audience = "all staff",
        });
        var update = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 8, 3)));
        var outages = await api.Plans.AddPlanItemAsync(Item(finance.Id, "Outage summary", Cadence.Weekly, Channel.Chat, new DateOnly(2026, 8, 3)));
        var promise = (await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "Month-end report fix", new DateOnly(2026, 10, 16)))).Commitment;

        // A simulated quarter: the monthly update goes out in August, September's only on 7 October, October's never;
        // the outage summary goes out every Friday.
        api.Clock.Set(On(2026, 11, 5));
        await api.Meetings.LogConversationAsync(Conversation(finance, On(2026, 8, 20), "Alice"));
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, On(2026, 8, 28), "August IT update"));
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, On(2026, 10, 7), "September IT update, late"));
        for (var friday = On(2026, 8, 7); friday < On(2026, 11, 1); friday = friday.AddDays(7))
        {
            await api.Plans.RecordCommunicationAsync(Sent(finance.Id, outages.PlanItemId, friday, "outages this week"));
        }

        var plan = (await api.Plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;
        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });

        var it = plan.Items.Single(i => i.What == "IT update");
        Assert.Equal(
            [(Day(new DateOnly(2026, 9, 2)), PeriodOutcome.OnTime), (Day(new DateOnly(2026, 10, 2)), PeriodOutcome.Late), (Day(new DateOnly(2026, 11, 2)), PeriodOutcome.Missed)],
            it.RecentPeriods.Select(p => (p.DueOn, p.Outcome)));
        Assert.Equal((1, 1, 1), (it.Adherence.OnTime, it.Adherence.Late, it.Adherence.Missed));
        Assert.Equal(1.0 / 3, it.Adherence.OnTimeShare, 3);
        Assert.True(it.Overdue);
        Assert.Equal(Day(new DateOnly(2026, 11, 2)), it.NextDueOn);
        var weekly = plan.Items.Single(i => i.What == "Outage summary");
        Assert.Equal(6, weekly.RecentPeriods.Count);
        Assert.All(weekly.RecentPeriods, p => Assert.Equal(PeriodOutcome.OnTime, p.Outcome));
        Assert.Equal((13, 0, 0), (weekly.Adherence.OnTime, weekly.Adherence.Late, weekly.Adherence.Missed));
        Assert.Equal((14, 1, 1), (plan.Adherence.OnTime, plan.Adherence.Late, plan.Adherence.Missed));
        Assert.Equal(Math.Round(1 + 52.0 / 12, 2), plan.Load.PerMonth);
        Assert.True(outages.Warnings.ChannelNotPreferred);
        Assert.False(update.Warnings.ChannelNotPreferred);

        Assert.Equal(
            [
                (AgendaEntryKind.Commitment, "Month-end report fix", true, "brm.v1.CommitmentService/DeliverCommitment"),
                (AgendaEntryKind.Communication, "IT update", true, "brm.v1.CommunicationPlanService/RecordCommunication"),
                (AgendaEntryKind.Communication, "Outage summary", false, "brm.v1.CommunicationPlanService/RecordCommunication"),
            ],
            agenda.Entries.Select(e => (e.Kind, e.What, e.Overdue, e.ActsOn)));
        Assert.All(agenda.Entries, e => Assert.Equal("Finance", e.Department));
        Assert.Equal(promise.Id, agenda.Entries[0].SubjectId);
        Assert.Equal(Day(new DateOnly(2026, 11, 2)), agenda.Entries[1].DueOn);
        Assert.Equal(plan.Load.PerMonth, agenda.Load.PerMonth);
    }

    [Fact]
    public async Task The_agenda_of_a_BRM_with_two_departments_lists_the_right_entries_overdue_first_then_oldest_first()
    {
        var brm = UniqueManager();
        api.Clock.Set(On(2026, 7, 1));
        var finance = await api.DepartmentAsync("Finance", [], brm);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)], brm);
        var elsewhere = await api.DepartmentAsync("Sales", [], UniqueManager());
        var update = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 7, 1)));
        api.Clock.Set(On(2026, 10, 29));
        var missedMeeting = (await api.Meetings.ScheduleMeetingAsync(Schedule(hr, On(2026, 10, 30, 10), "Hana"))).Meeting;
        api.Clock.Set(On(2026, 11, 2));
        foreach (var sent in new[] { On(2026, 7, 15), On(2026, 8, 15), On(2026, 9, 15) })
        {
            await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, sent));
        }

        var nextMeeting = (await api.Meetings.ScheduleMeetingAsync(Schedule(finance, On(2026, 11, 4, 10)))).Meeting;
        var hrPromise = (await api.Commitments.MakeCommitmentAsync(Commitment(hr.Relationship, "Payroll export", new DateOnly(2026, 11, 5)))).Commitment;
        await api.Commitments.MakeCommitmentAsync(Commitment(hr.Relationship, "Next month's thing", new DateOnly(2026, 12, 5)));
        await api.Commitments.MakeCommitmentAsync(Commitment(elsewhere.Relationship, "Someone else's promise", new DateOnly(2026, 11, 3)));

        var agenda = await api.Plans.GetAgendaAsync(new GetAgendaRequest { Manager = brm });

        Assert.Equal(
            [
                (AgendaEntryKind.Stakeholder, "HR", hr["Hana"], true),
                (AgendaEntryKind.Meeting, "HR", missedMeeting.Id, true),
                (AgendaEntryKind.Communication, "Finance", update.PlanItemId, true),
                (AgendaEntryKind.Meeting, "Finance", nextMeeting.Id, false),
                (AgendaEntryKind.Commitment, "HR", hrPromise.Id, false),
            ],
            agenda.Entries.Select(e => (e.Kind, e.Department, e.SubjectId, e.Overdue)));
        Assert.Equal(At(On(2026, 7, 1)), agenda.Entries[0].Since);
        Assert.Equal("brm.v1.MeetingService/LogConversation", agenda.Entries[0].ActsOn);
        Assert.Equal((7, 90), (agenda.HorizonDays, agenda.CoverageWindowDays));
    }
}
