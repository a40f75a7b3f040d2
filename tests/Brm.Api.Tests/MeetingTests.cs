using Brm.Api.Tests.Support;
using Brm.Domain.Reporting;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Scheduling, moving, cancelling and holding meetings, and logging conversations: what a BRM sees.</summary>
public sealed class MeetingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, StakeholderLevel)[] People =
    [
        ("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Manager), ("Carol", StakeholderLevel.Staff),
    ];

    private readonly MeetingService.MeetingServiceClient _meetings = api.Meetings;
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    [Fact]
    public async Task A_scheduled_meeting_shows_its_plan_and_invitees_by_name_and_reads_back_the_same()
    {
        var finance = await api.DepartmentAsync("Finance", People);

        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(3), "Bob", "Carol"));
        var read = await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = scheduled.Meeting.Id });

        var meeting = scheduled.Meeting;
        Assert.Equal(1, scheduled.Version);
        Assert.Equal(meeting, read.Meeting);
        Assert.Equal((MeetingStatus.Scheduled, MeetingKind.TeamMeetingSlot, "IT update at the team meeting"), (meeting.Status, meeting.Kind, meeting.Topic));
        Assert.Equal(At(Now.AddDays(3)), meeting.OccursAt);
        Assert.Equal(At(Now.AddDays(3)), meeting.Schedule.Start);
        Assert.Equal((10, "brm.jane"), (meeting.Schedule.DurationMinutes, meeting.Schedule.Organiser));
        Assert.Equal(["Bob", "Carol"], meeting.Schedule.Invited.Select(s => s.Name));
        Assert.Equal([StakeholderLevel.Manager, StakeholderLevel.Staff], meeting.Schedule.Invited.Select(s => s.Level));
        Assert.Null(meeting.Conversation);
        Assert.Null(meeting.Cancellation);
    }

    [Fact]
    public async Task Rescheduling_moves_the_start_and_keeps_each_move_and_the_same_start_again_changes_nothing()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(3)));

        var moved = await _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest
        {
            MeetingId = scheduled.Meeting.Id, Start = At(Now.AddDays(5)), Reason = " month-end close ",
        });
        var again = await _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = scheduled.Meeting.Id, Start = At(Now.AddDays(5)) });

        Assert.Equal((2L, 2L), (moved.Version, again.Version));
        Assert.Equal(At(Now.AddDays(5)), moved.Meeting.OccursAt);
        var move = Assert.Single(again.Meeting.Schedule.Reschedules);
        Assert.Equal((At(Now.AddDays(3)), At(Now.AddDays(5)), "month-end close"), (move.PreviousStart, move.Start, move.Reason));
    }

    [Fact]
    public async Task Cancelling_records_the_reason_and_cancelling_again_changes_nothing()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(3)));

        var cancelled = await _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = scheduled.Meeting.Id, Reason = "team meeting dropped" });
        var again = await _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = scheduled.Meeting.Id, Reason = "again" });

        Assert.Equal(MeetingStatus.Cancelled, cancelled.Meeting.Status);
        Assert.Equal(("team meeting dropped", ApiFixture.AdminName), (cancelled.Meeting.Cancellation.Reason, cancelled.Meeting.Cancellation.CancelledBy));
        Assert.Equal(cancelled.Meeting, again.Meeting);
        Assert.Equal(2, again.Version);
    }

    [Fact]
    public async Task Holding_records_who_attended_what_IT_shared_and_what_the_business_raised_verbatim()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddHours(-2), "Bob"));
        var hold = Hold(scheduled.Meeting, finance, "Bob", "Carol");
        hold.Conversation.ItAttendees.Add("  Omar (service desk) ");
        hold.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "  Month-end close is *slow*,\nevery month  ", Kind = RaisedPointKind.Concern });
        hold.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "Could we get a training session?" });
        hold.Conversation.Notes = "follow up with Carol";

        var held = await _meetings.HoldMeetingAsync(hold);

        var conversation = held.Meeting.Conversation;
        Assert.Equal((MeetingStatus.Held, 2L), (held.Meeting.Status, held.Version));
        Assert.Equal(At(Now.AddHours(-2)), conversation.HeldAt);
        Assert.Equal(conversation.HeldAt, held.Meeting.OccursAt);
        Assert.Equal(["Bob", "Carol"], conversation.Attendees.Select(a => a.Name));
        Assert.Equal(["Jane Doe (BRM)", "Omar (service desk)"], conversation.ItAttendees);
        Assert.Equal("The new expense tool goes live in March.", conversation.ItShared);
        Assert.Equal(hold.Conversation.BusinessRaised, conversation.BusinessRaised);
        Assert.False(conversation.BusinessRaised[1].HasKind);
        Assert.Equal(("follow up with Carol", ApiFixture.AdminName, At(Now)), (conversation.Notes, conversation.RecordedBy, conversation.RecordedAt));
        Assert.Equal(held.Meeting, (await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = scheduled.Meeting.Id })).Meeting);
    }

    [Fact]
    public async Task Holding_at_a_given_time_records_that_time()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(2)));
        var hold = Hold(scheduled.Meeting, finance, "Alice");
        hold.Conversation.HeldAt = At(Now);

        var held = await _meetings.HoldMeetingAsync(hold);

        Assert.Equal(At(Now), held.Meeting.Conversation.HeldAt);
        Assert.Equal(At(Now.AddDays(2)), held.Meeting.Schedule.Start);
    }

    [Fact]
    public async Task A_logged_conversation_is_held_unscheduled_and_happened_now_unless_told_otherwise()
    {
        var finance = await api.DepartmentAsync("Finance", People);

        var now = await _meetings.LogConversationAsync(Conversation(finance, heldAt: null, "Carol"));
        var earlier = await _meetings.LogConversationAsync(Conversation(finance, Now.AddDays(-3), "Alice", "Bob"));

        Assert.Equal((MeetingStatus.Held, MeetingKind.CoffeeChat, 1L), (now.Meeting.Status, now.Meeting.Kind, now.Version));
        Assert.Null(now.Meeting.Schedule);
        Assert.Equal("", now.Meeting.Topic);
        Assert.Equal(At(Now), now.Meeting.Conversation.HeldAt);
        Assert.Equal(At(Now.AddDays(-3)), earlier.Meeting.Conversation.HeldAt);
        Assert.Equal(["Alice", "Bob"], earlier.Meeting.Conversation.Attendees.Select(a => a.Name));
    }

    [Fact]
    public async Task A_removed_stakeholder_stays_on_the_meetings_they_attended_marked_removed()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var logged = await _meetings.LogConversationAsync(Conversation(finance, null, "Bob", "Carol"));
        await api.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = finance["Carol"] });

        var read = (await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = logged.Meeting.Id })).Meeting;

        Assert.Equal([("Bob", false), ("Carol", true)], read.Conversation.Attendees.Select(a => (a.Name, a.Removed)));
    }

    [Fact]
    public async Task Each_meeting_is_one_stream_whose_events_carry_the_relationship()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(-1), "Bob"));
        await _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = scheduled.Meeting.Id, Start = At(Now.AddHours(-1)) });
        await _meetings.HoldMeetingAsync(Hold(scheduled.Meeting, finance, "Bob"));

        await using var session = api.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(scheduled.Meeting.Id));

        Assert.Equal(["meeting_scheduled", "meeting_rescheduled", "meeting_held"], events.Select(e => e.EventTypeName));
        Assert.All(events, e => Assert.Equal(Guid.Parse(finance.Id), EventFacts.RelationshipId(e.Data)));
    }

    [Fact]
    public async Task Meetings_reach_the_departments_timeline_and_the_typed_feed()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var log = Conversation(finance, Now.AddHours(-1), "Carol");
        log.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "  the printer, again ", Kind = RaisedPointKind.Concern });
        var logged = await _meetings.LogConversationAsync(log);
        await api.WaitForProjectionsAsync();

        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 1 });
        using var feed = api.Reporting.StreamEvents(
            new StreamEventsRequest { EventTypes = { "conversation_logged" }, RelationshipIds = { finance.Id } });
        var events = new List<FeedEvent>();
        await foreach (var item in feed.ResponseStream.ReadAllAsync())
        {
            if (item.ItemCase == StreamEventsResponse.ItemOneofCase.Event)
            {
                events.Add(item.Event);
            }
        }

        Assert.Equal("Logged a coffee chat with 1 stakeholder; the business raised 1 point", timeline.Entries[0].Summary);
        var payload = Assert.Single(events).Payload.ConversationLogged;
        Assert.Equal((logged.Meeting.Id, MeetingKind.CoffeeChat), (payload.MeetingId, payload.Kind));
        Assert.Equal([finance["Carol"]], payload.Conversation.StakeholderIds);
        Assert.Equal(log.Conversation.BusinessRaised, payload.Conversation.BusinessRaised);
        Assert.Equal(At(Now.AddHours(-1)), payload.Conversation.HeldAt);
    }
}
