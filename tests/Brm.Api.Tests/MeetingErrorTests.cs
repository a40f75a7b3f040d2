using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Every way a meeting call fails, through the one error table, and the mutation conventions.</summary>
public sealed class MeetingErrorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, StakeholderLevel)[] People = [("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Staff)];

    private readonly MeetingService.MeetingServiceClient _meetings = api.Meetings;
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    private async Task<(Department Finance, Meeting Meeting)> ScheduledAsync(DateTimeOffset? start = null)
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, start ?? Now.AddHours(-1), "Alice"));
        return (finance, scheduled.Meeting);
    }

    [Fact]
    public async Task An_unknown_relationship_is_not_found_for_schedule_log_and_coverage()
    {
        var nowhere = new Department(new Relationship { Id = Guid.NewGuid().ToString() }, new Dictionary<string, string>());

        await FailsWith(StatusCode.NotFound, _meetings.ScheduleMeetingAsync(Schedule(nowhere, Now)));
        var log = Conversation(nowhere, null);
        log.Conversation.StakeholderIds.Add(Guid.NewGuid().ToString());
        await FailsWith(StatusCode.NotFound, _meetings.LogConversationAsync(log));
        await FailsWith(StatusCode.NotFound, _meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest { RelationshipId = nowhere.Id }));
    }

    [Fact]
    public async Task An_unknown_meeting_is_not_found_for_every_call_on_it()
    {
        var id = Guid.NewGuid().ToString();

        await FailsWith(StatusCode.NotFound, _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = id }));
        await FailsWith(StatusCode.NotFound, _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = id, Start = At(Now) }));
        await FailsWith(StatusCode.NotFound, _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = id, Reason = "x", ExpectedVersion = 1 }));
        await FailsWith(StatusCode.NotFound, _meetings.HoldMeetingAsync(new HoldMeetingRequest { MeetingId = id, Conversation = new ConversationDetails { StakeholderIds = { Guid.NewGuid().ToString() } } }));
    }

    [Fact]
    public async Task An_attendee_who_is_no_stakeholder_of_the_relationship_is_not_found_and_a_removed_one_fails_the_rule()
    {
        var (finance, meeting) = await ScheduledAsync();
        var other = await api.DepartmentAsync("Legal", [("Lee", StakeholderLevel.Staff)]);
        await api.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = finance["Bob"] });

        var stranger = await FailsWith(StatusCode.NotFound, _meetings.HoldMeetingAsync(
            new HoldMeetingRequest { MeetingId = meeting.Id, Conversation = new ConversationDetails { StakeholderIds = { other["Lee"] } } }));
        var removed = await FailsWith(StatusCode.FailedPrecondition, _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice", "Bob")));
        var invited = await FailsWith(StatusCode.FailedPrecondition, _meetings.ScheduleMeetingAsync(Schedule(finance, Now, "Bob")));

        Assert.Contains(other["Lee"], stranger.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("only current stakeholders", removed.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("removed", invited.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_meeting_is_held_once()
    {
        var (finance, meeting) = await ScheduledAsync();
        await _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice"));

        var failure = await FailsWith(StatusCode.FailedPrecondition, _meetings.HoldMeetingAsync(Hold(meeting, finance, "Bob")));

        Assert.Contains("a meeting is held once", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logged_conversation_cannot_be_held_again()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var logged = await _meetings.LogConversationAsync(Conversation(finance, null, "Bob"));

        await FailsWith(StatusCode.FailedPrecondition, _meetings.HoldMeetingAsync(Hold(logged.Meeting, finance, "Bob")));
    }

    [Fact]
    public async Task A_cancelled_meeting_cannot_be_held_or_rescheduled()
    {
        var (finance, meeting) = await ScheduledAsync();
        await _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = meeting.Id, Reason = "clash" });

        var hold = await FailsWith(StatusCode.FailedPrecondition, _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice")));
        await FailsWith(StatusCode.FailedPrecondition,
            _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = meeting.Id, Start = At(Now.AddDays(1)) }));

        Assert.Contains("a cancelled meeting cannot be held", hold.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_held_meeting_cannot_be_rescheduled_or_cancelled()
    {
        var (finance, meeting) = await ScheduledAsync();
        await _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice"));

        var reschedule = await FailsWith(StatusCode.FailedPrecondition,
            _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = meeting.Id, Start = At(Now.AddDays(1)) }));
        var cancel = await FailsWith(StatusCode.FailedPrecondition,
            _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = meeting.Id, Reason = "too late" }));

        Assert.Contains("a held meeting cannot be rescheduled or cancelled", reschedule.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("a held meeting cannot be rescheduled or cancelled", cancel.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_recorded_as_having_happened_in_the_future_by_the_service_clock()
    {
        var (finance, meeting) = await ScheduledAsync(start: Now.AddMinutes(30));
        var before = await api.EventCountAsync();

        var byDefault = await FailsWith(StatusCode.FailedPrecondition, _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice")));
        var log = await FailsWith(StatusCode.FailedPrecondition, _meetings.LogConversationAsync(Conversation(finance, Now.AddSeconds(1), "Bob")));
        Assert.Equal(before, await api.EventCountAsync());

        api.Clock.Advance(TimeSpan.FromMinutes(30));
        var held = await _meetings.HoldMeetingAsync(Hold(meeting, finance, "Alice"));

        Assert.Contains("in the future", byDefault.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("in the future", log.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(At(Now), held.Meeting.Conversation.HeldAt);
    }

    [Fact]
    public async Task An_archived_relationship_refuses_new_meetings_and_conversations()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "merged" });
        var before = await api.EventCountAsync();

        var schedule = await FailsWith(StatusCode.FailedPrecondition, _meetings.ScheduleMeetingAsync(Schedule(finance, Now, "Alice")));
        var log = await FailsWith(StatusCode.FailedPrecondition, _meetings.LogConversationAsync(Conversation(finance, null, "Alice")));

        Assert.Contains("archived and refuses new meetings", schedule.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("archived", log.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_stale_expected_version_is_aborted_and_changes_nothing()
    {
        var (_, meeting) = await ScheduledAsync(start: Now.AddDays(1));
        await _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = meeting.Id, Start = At(Now.AddDays(2)), ExpectedVersion = 1 });

        await FailsWith(StatusCode.Aborted, _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = meeting.Id, Reason = "x", ExpectedVersion = 1 }));

        var read = (await _meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = meeting.Id })).Meeting;
        Assert.Equal((MeetingStatus.Scheduled, 2L), (read.Status, read.Version));
    }

    [Fact]
    public async Task A_repeated_request_id_returns_the_first_answer_and_appends_nothing()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var schedule = Schedule(finance, Now.AddHours(-1), "Alice");
        schedule.RequestId = Guid.NewGuid().ToString();
        var log = Conversation(finance, null, "Bob");
        log.RequestId = Guid.NewGuid().ToString();

        var first = await _meetings.ScheduleMeetingAsync(schedule);
        var firstLog = await _meetings.LogConversationAsync(log);
        var hold = Hold(first.Meeting, finance, "Alice");
        hold.RequestId = Guid.NewGuid().ToString();
        var held = await _meetings.HoldMeetingAsync(hold);
        var events = await api.EventCountAsync();

        Assert.Equal(first, await _meetings.ScheduleMeetingAsync(schedule));
        Assert.Equal(firstLog, await _meetings.LogConversationAsync(log));
        Assert.Equal(held, await _meetings.HoldMeetingAsync(hold));
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_request_id_reused_for_a_different_meeting_request_is_invalid_argument()
    {
        var (_, meeting) = await ScheduledAsync(start: Now.AddDays(1));
        var requestId = Guid.NewGuid().ToString();
        await _meetings.CancelMeetingAsync(new CancelMeetingRequest { RequestId = requestId, MeetingId = meeting.Id, Reason = "a" });

        var failure = await FailsWith(StatusCode.InvalidArgument,
            _meetings.CancelMeetingAsync(new CancelMeetingRequest { RequestId = requestId, MeetingId = meeting.Id, Reason = "b" }));

        Assert.Equal(["request_id"], failure.ViolatedFields());
    }

    [Fact]
    public async Task An_empty_schedule_request_names_every_missing_field()
    {
        var failure = await FailsWith(StatusCode.InvalidArgument, _meetings.ScheduleMeetingAsync(new ScheduleMeetingRequest
        {
            RequestId = "not-a-uuid", InvitedStakeholderIds = { "x", "x" },
        }));

        Assert.Equal(
            ["request_id", "relationship_id", "kind", "topic", "start", "duration_minutes", "invited_stakeholder_ids",
                "invited_stakeholder_ids[0]", "invited_stakeholder_ids[1]", "organiser"],
            failure.ViolatedFields());
    }

    [Fact]
    public async Task A_conversation_without_stakeholders_or_with_bad_points_names_the_fields()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var log = Conversation(finance, null);
        log.Kind = MeetingKind.Unspecified;
        log.Conversation.ItAttendees.Add(" ");
        log.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "   ", Kind = RaisedPointKind.Unspecified });
        log.Conversation.BusinessRaised.Add(new RaisedPoint { Text = new string('x', 2001) });
        log.Conversation.Notes = new string('n', 4001);

        var failure = await FailsWith(StatusCode.InvalidArgument, _meetings.LogConversationAsync(log));

        Assert.Equal(
            [
                "kind", "conversation.stakeholder_ids", "conversation.it_attendees[0]", "conversation.business_raised[0].text",
                "conversation.business_raised[0].kind", "conversation.business_raised[1].text", "conversation.notes",
            ],
            failure.ViolatedFields());
    }

    [Fact]
    public async Task Bad_ids_durations_and_versions_on_meeting_changes_are_invalid_argument()
    {
        var (finance, meeting) = await ScheduledAsync();

        var hold = await FailsWith(StatusCode.InvalidArgument, _meetings.HoldMeetingAsync(new HoldMeetingRequest
        {
            MeetingId = "nope",
            ExpectedVersion = 0,
            Conversation = new ConversationDetails { StakeholderIds = { finance["Alice"], finance["Alice"].ToUpperInvariant() } },
        }));
        var noConversation = await FailsWith(StatusCode.InvalidArgument,
            _meetings.HoldMeetingAsync(new HoldMeetingRequest { MeetingId = meeting.Id }));
        var reschedule = await FailsWith(StatusCode.InvalidArgument,
            _meetings.RescheduleMeetingAsync(new RescheduleMeetingRequest { MeetingId = meeting.Id }));
        var cancel = await FailsWith(StatusCode.InvalidArgument,
            _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = meeting.Id, Reason = " " }));
        var duration = Schedule(finance, Now);
        duration.DurationMinutes = 1441;
        var schedule = await FailsWith(StatusCode.InvalidArgument, _meetings.ScheduleMeetingAsync(duration));
        var get = await FailsWith(StatusCode.InvalidArgument, _meetings.GetMeetingAsync(new GetMeetingRequest()));

        Assert.Equal(["expected_version", "meeting_id", "conversation.stakeholder_ids"], hold.ViolatedFields());
        Assert.Equal(["conversation"], noConversation.ViolatedFields());
        Assert.Equal(["start"], reschedule.ViolatedFields());
        Assert.Equal(["reason"], cancel.ViolatedFields());
        Assert.Equal(["duration_minutes"], schedule.ViolatedFields());
        Assert.Equal(["meeting_id"], get.ViolatedFields());
    }

    [Fact]
    public async Task Bad_list_and_coverage_requests_are_invalid_argument()
    {
        var list = await FailsWith(StatusCode.InvalidArgument, _meetings.ListMeetingsAsync(new ListMeetingsRequest
        {
            PageSize = 501, RelationshipId = "x", StakeholderId = "y", PeriodStart = At(Now), PeriodEnd = At(Now), Status = MeetingStatus.Unspecified,
        }));
        var noScope = await FailsWith(StatusCode.InvalidArgument, _meetings.GetStakeholderCoverageAsync(new GetStakeholderCoverageRequest()));
        var window = await FailsWith(StatusCode.InvalidArgument, _meetings.GetStakeholderCoverageAsync(
            new GetStakeholderCoverageRequest { Manager = "brm.jane", WindowDays = 3651 }));

        Assert.Equal(["page_size", "relationship_id", "stakeholder_id", "period_end", "status"], list.ViolatedFields());
        Assert.Equal(["relationship_id"], noScope.ViolatedFields());
        Assert.Equal(["window_days"], window.ViolatedFields());
    }
}
