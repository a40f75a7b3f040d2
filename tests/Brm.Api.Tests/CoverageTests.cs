using Brm.Api.Tests.Support;
using Brm.V1;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Stakeholder coverage: who IT has talked to within the window, per level, and who not.</summary>
public sealed class CoverageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly MeetingService.MeetingServiceClient _meetings = api.Meetings;

    private static (string, StakeholderLevel)[] Finance() =>
    [
        ("Erin", StakeholderLevel.Executive),
        ("Mona", StakeholderLevel.Manager), ("Mark", StakeholderLevel.Manager), ("Mia", StakeholderLevel.Manager),
        ("Sam", StakeholderLevel.Staff), ("Sara", StakeholderLevel.Staff), ("Sid", StakeholderLevel.Staff),
        ("Sue", StakeholderLevel.Staff), ("Stan", StakeholderLevel.Staff),
    ];

    private async Task<RelationshipCoverage> CoverageAsync(Department department, int windowDays = 0) =>
        Assert.Single((await _meetings.GetStakeholderCoverageAsync(
            new GetStakeholderCoverageRequest { RelationshipId = department.Id, WindowDays = windowDays })).Relationships);

    private static CoverageCount Count(int contacted, int total) => new() { Contacted = contacted, Total = total };

    [Fact]
    public async Task Done_when_a_coffee_chat_with_two_staff_and_a_team_meeting_slot_with_the_three_managers()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        await _meetings.LogConversationAsync(Conversation(finance, Start.AddHours(-1), "Sam", "Sara"));
        var slot = await _meetings.ScheduleMeetingAsync(Schedule(finance, Start.AddDays(-1), "Mona", "Mark", "Mia"));
        var hold = Hold(slot.Meeting, finance, "Mona", "Mark", "Mia");
        hold.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Invoices from the new supplier portal arrive twice.", Kind = RaisedPointKind.Concern });
        hold.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Can month-end reports run overnight instead of 9am?", Kind = RaisedPointKind.Request });
        await _meetings.HoldMeetingAsync(hold);

        var coverage = await CoverageAsync(finance);
        var meeting = (await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = slot.Meeting.Id })).Meeting;

        Assert.Equal(Count(3, 3), coverage.Levels.Manager);
        Assert.Equal(Count(2, 5), coverage.Levels.Staff);
        Assert.Equal(Count(0, 1), coverage.Levels.Executive);
        Assert.Equal(Count(5, 9), coverage.Levels.Total);
        Assert.Equal(["Erin", "Sid", "Sue", "Stan"], coverage.NotContacted.Select(s => s.Name));
        Assert.Equal(
            ["Invoices from the new supplier portal arrive twice.", "Can month-end reports run overnight instead of 9am?"],
            meeting.Conversation.BusinessRaised.Select(p => p.Text));
    }

    [Fact]
    public async Task Each_stakeholder_shows_their_last_contact_and_its_kind_whatever_the_kind()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        var workshop = Conversation(finance, Start.AddDays(-20), "Erin", "Sam");
        workshop.Kind = MeetingKind.Workshop;
        await _meetings.LogConversationAsync(workshop);
        var remote = Conversation(finance, Start.AddDays(-5), "Sam");
        remote.Kind = MeetingKind.Remote;
        var last = await _meetings.LogConversationAsync(remote);
        await _meetings.LogConversationAsync(Conversation(finance, Start.AddDays(-30), "Sam"));

        var coverage = await CoverageAsync(finance);

        var sam = coverage.Stakeholders.Single(s => s.Name == "Sam");
        var erin = coverage.Stakeholders.Single(s => s.Name == "Erin");
        Assert.Equal((At(Start.AddDays(-5)), MeetingKind.Remote, last.Meeting.Id, true),
            (sam.LastContactAt, sam.LastContactKind, sam.LastContactMeetingId, sam.ContactedWithinWindow));
        Assert.Equal((At(Start.AddDays(-20)), MeetingKind.Workshop), (erin.LastContactAt, erin.LastContactKind));
        var sid = coverage.Stakeholders.Single(s => s.Name == "Sid");
        Assert.Equal((null, MeetingKind.Unspecified, "", false), (sid.LastContactAt, sid.LastContactKind, sid.LastContactMeetingId, sid.ContactedWithinWindow));
        Assert.Equal(finance.Relationship.Stakeholders.Select(s => s.Name), coverage.Stakeholders.Select(s => s.Name));
    }

    [Fact]
    public async Task A_contact_exactly_on_the_window_boundary_counts_and_a_microsecond_later_it_no_longer_does()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        await _meetings.LogConversationAsync(Conversation(finance, heldAt: null, "Sue"));

        api.Clock.Set(Start.AddDays(90));
        var onTheEdge = await _meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest { RelationshipId = finance.Id });
        api.Clock.Advance(TimeSpan.FromTicks(10));
        var justPast = await CoverageAsync(finance);
        var widerWindow = await CoverageAsync(finance, windowDays: 91);

        Assert.Equal((90, At(Start.AddDays(90)), At(Start)), (onTheEdge.WindowDays, onTheEdge.AsOf, onTheEdge.WindowStart));
        Assert.True(onTheEdge.Relationships[0].Stakeholders.Single(s => s.Name == "Sue").ContactedWithinWindow);
        Assert.Equal(Count(1, 5), onTheEdge.Levels.Staff);
        Assert.Equal(Count(0, 5), justPast.Levels.Staff);
        Assert.Equal("Sue", justPast.NotContacted.Last().Name);
        Assert.Equal(Count(1, 5), widerWindow.Levels.Staff);
    }

    [Fact]
    public async Task Invitations_and_cancelled_meetings_are_not_contacts()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        await _meetings.ScheduleMeetingAsync(Schedule(finance, Start.AddDays(-1), "Erin"));
        var cancelled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Start.AddDays(-2), "Mona"));
        await _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = cancelled.Meeting.Id, Reason = "clash" });

        var coverage = await CoverageAsync(finance);

        Assert.Equal(Count(0, 9), coverage.Levels.Total);
        Assert.Equal(9, coverage.NotContacted.Count);
    }

    [Fact]
    public async Task A_removed_stakeholder_leaves_the_counts_but_keeps_their_history()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        var chat = await _meetings.LogConversationAsync(Conversation(finance, null, "Sam", "Sara"));
        await api.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest
        {
            RelationshipId = finance.Id, StakeholderId = finance["Sam"], Reason = "left the company",
        });

        var coverage = await CoverageAsync(finance);
        var meeting = (await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = chat.Meeting.Id })).Meeting;
        var samsMeetings = await _meetings.ListMeetingsAsync(new ListMeetingsRequest { StakeholderId = finance["Sam"] });

        Assert.Equal(Count(1, 4), coverage.Levels.Staff);
        Assert.DoesNotContain(coverage.Stakeholders, s => s.Name == "Sam");
        Assert.DoesNotContain(coverage.NotContacted, s => s.Name == "Sam");
        Assert.Equal([("Sam", true), ("Sara", false)], meeting.Conversation.Attendees.Select(a => (a.Name, a.Removed)));
        Assert.Equal([chat.Meeting.Id], samsMeetings.Meetings.Select(m => m.Id));
    }

    [Fact]
    public async Task Not_contacted_lists_the_never_contacted_first_then_the_oldest_contact()
    {
        api.Clock.Set(Start);
        var finance = await api.DepartmentAsync("Finance", Finance());
        await _meetings.LogConversationAsync(Conversation(finance, Start.AddDays(-100), "Stan"));
        await _meetings.LogConversationAsync(Conversation(finance, Start.AddDays(-200), "Sid"));
        await _meetings.LogConversationAsync(Conversation(finance, Start.AddDays(-1), "Erin", "Mona", "Mark", "Mia", "Sam", "Sara"));

        var coverage = await CoverageAsync(finance);

        Assert.Equal(["Sue", "Sid", "Stan"], coverage.NotContacted.Select(s => s.Name));
        Assert.Equal(At(Start.AddDays(-200)), coverage.NotContacted[1].LastContactAt);
    }

    [Fact]
    public async Task A_managers_coverage_spans_their_active_relationships_by_name_with_totals_across_them()
    {
        api.Clock.Set(Start);
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var payroll = await api.DepartmentAsync("Payroll", [("Pia", StakeholderLevel.Executive), ("Pete", StakeholderLevel.Staff)], manager);
        var audit = await api.DepartmentAsync("Audit", [("Ann", StakeholderLevel.Manager), ("Abe", StakeholderLevel.Staff)], manager);
        var closed = await api.DepartmentAsync("Archive room", [("Zed", StakeholderLevel.Staff)], manager);
        await api.DepartmentAsync("Someone else's", [("Xavier", StakeholderLevel.Staff)], "brm.other");
        await _meetings.LogConversationAsync(Conversation(payroll, null, "Pete"));
        await _meetings.LogConversationAsync(Conversation(audit, Start.AddDays(-95), "Ann"));
        await _meetings.LogConversationAsync(Conversation(closed, null, "Zed"));
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = closed.Id, Reason = "merged" });

        var coverage = await _meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest { Manager = manager, WindowDays = 100 });
        var nobody = await _meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest { Manager = "brm.nobody" });

        Assert.Equal(["Audit", "Payroll"], coverage.Relationships.Select(r => r.Name));
        Assert.Equal(Count(2, 4), coverage.Levels.Total);
        Assert.Equal(Count(1, 2), coverage.Levels.Staff);
        Assert.Equal(Count(1, 1), coverage.Levels.Manager);
        Assert.Equal(Count(0, 1), coverage.Levels.Executive);
        Assert.Equal(["Abe"], coverage.Relationships[0].NotContacted.Select(s => s.Name));
        Assert.Equal(["Pia"], coverage.Relationships[1].NotContacted.Select(s => s.Name));
        Assert.Empty(nobody.Relationships);
        Assert.Equal(Count(0, 0), nobody.Levels.Total);
    }
}
