using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

public sealed class MeetingListTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, StakeholderLevel)[] People =
    [
        ("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Manager), ("Carol", StakeholderLevel.Staff),
    ];

    private readonly MeetingService.MeetingServiceClient _meetings = api.Meetings;
    private DateTimeOffset Now => api.Clock.GetUtcNow();

    private async Task<List<MeetingSummary>> AllPagesAsync(ListMeetingsRequest request)
    {
        var seen = new List<MeetingSummary>();
        do
        {
            var page = await _meetings.ListMeetingsAsync(request);
            seen.AddRange(page.Meetings);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return seen;
    }

    private async Task<string> LogAsync(Department department, DateTimeOffset heldAt, params string[] met) =>
        (await _meetings.LogConversationAsync(Conversation(department, heldAt, met))).Meeting.Id;

    [Fact]
    public async Task Pages_walk_a_relationships_meetings_once_newest_first_scheduled_ones_by_their_start()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var ids = new List<string>();
        for (var day = 6; day >= 1; day--)
        {
            ids.Add(await LogAsync(finance, Now.AddDays(-day), "Carol"));
        }

        var next = (await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(7), "Alice"))).Meeting.Id;
        var sameTime = await LogAsync(finance, Now.AddDays(-1), "Bob");

        var seen = await AllPagesAsync(new ListMeetingsRequest { RelationshipId = finance.Id, PageSize = 2 });

        var expected = new[] { next }.Concat(new[] { sameTime, ids[^1] }.OrderDescending()).Concat(ids[..^1].AsEnumerable().Reverse());
        Assert.Equal(expected, seen.Select(m => m.Id));
    }

    [Fact]
    public async Task A_summary_names_who_took_part_or_who_is_invited_and_counts_what_was_raised()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(1), "Alice", "Bob"));
        var log = Conversation(finance, Now, "Carol");
        log.Topic = "kitchen chat";
        log.Conversation.BusinessRaised.Add(new RaisedPoint { Text = "the printer again" });
        log.Conversation.ItAttendees.Add("Omar");
        await _meetings.LogConversationAsync(log);

        var page = await _meetings.ListMeetingsAsync(new ListMeetingsRequest { RelationshipId = finance.Id });

        Assert.Equal(2, page.Meetings.Count);
        var (upcoming, chat) = (page.Meetings[0], page.Meetings[1]);
        Assert.Equal((scheduled.Meeting.Id, MeetingStatus.Scheduled, false), (upcoming.Id, upcoming.Status, upcoming.Unscheduled));
        Assert.Equal(["Alice", "Bob"], upcoming.Stakeholders.Select(s => s.Name));
        Assert.Equal(("kitchen chat", MeetingStatus.Held, true, 1, 1), (chat.Topic, chat.Status, chat.Unscheduled, chat.RaisedPointCount, chat.ItAttendeeCount));
        Assert.Equal(["Carol"], chat.Stakeholders.Select(s => s.Name));
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task By_stakeholder_lists_meetings_they_were_invited_to_or_took_part_in_also_after_their_removal()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var invited = (await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(2), "Bob"))).Meeting;
        var uninvitedButThere = (await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(-2), "Alice"))).Meeting;
        await _meetings.HoldMeetingAsync(Hold(uninvitedButThere, finance, "Alice", "Bob"));
        var met = await LogAsync(finance, Now.AddDays(-3), "Bob");
        await LogAsync(finance, Now.AddDays(-1), "Carol");
        await api.Relationships.RemoveStakeholderAsync(new RemoveStakeholderRequest { RelationshipId = finance.Id, StakeholderId = finance["Bob"] });

        var bobs = await AllPagesAsync(new ListMeetingsRequest { StakeholderId = finance["Bob"] });

        Assert.Equal([invited.Id, uninvitedButThere.Id, met], bobs.Select(m => m.Id));
        Assert.All(bobs, m => Assert.Contains(m.Stakeholders, s => s.Name == "Bob" && s.Removed));
    }

    [Fact]
    public async Task By_period_includes_its_start_and_excludes_its_end()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var start = Now.AddDays(-10);
        await LogAsync(finance, start.AddTicks(-10), "Alice");
        var first = await LogAsync(finance, start, "Alice");
        var last = await LogAsync(finance, start.AddDays(1).AddTicks(-10), "Alice");
        await LogAsync(finance, start.AddDays(1), "Alice");

        var day = await AllPagesAsync(new ListMeetingsRequest
        {
            RelationshipId = finance.Id, PeriodStart = At(start), PeriodEnd = At(start.AddDays(1)),
        });

        Assert.Equal([last, first], day.Select(m => m.Id));
    }

    [Fact]
    public async Task By_status_lists_only_that_status()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        var scheduled = (await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(1), "Alice"))).Meeting;
        var cancelled = (await _meetings.ScheduleMeetingAsync(Schedule(finance, Now.AddDays(2), "Alice"))).Meeting;
        await _meetings.CancelMeetingAsync(new CancelMeetingRequest { MeetingId = cancelled.Id, Reason = "no longer needed" });
        var held = await LogAsync(finance, Now, "Bob");

        async Task<IEnumerable<string>> With(MeetingStatus status) =>
            (await AllPagesAsync(new ListMeetingsRequest { RelationshipId = finance.Id, Status = status })).Select(m => m.Id);

        Assert.Equal([scheduled.Id], await With(MeetingStatus.Scheduled));
        Assert.Equal([cancelled.Id], await With(MeetingStatus.Cancelled));
        Assert.Equal([held], await With(MeetingStatus.Held));
    }

    [Fact]
    public async Task A_page_token_for_other_filters_or_garbage_is_invalid_argument()
    {
        var finance = await api.DepartmentAsync("Finance", People);
        await LogAsync(finance, Now.AddDays(-1), "Alice");
        await LogAsync(finance, Now.AddDays(-2), "Alice");
        var first = await _meetings.ListMeetingsAsync(new ListMeetingsRequest { RelationshipId = finance.Id, PageSize = 1 });

        var otherFilters = await FailsWith(StatusCode.InvalidArgument, _meetings.ListMeetingsAsync(new ListMeetingsRequest
        {
            RelationshipId = finance.Id, PageSize = 1, PageToken = first.NextPageToken, Status = MeetingStatus.Held,
        }));
        var garbage = await FailsWith(StatusCode.InvalidArgument,
            _meetings.ListMeetingsAsync(new ListMeetingsRequest { PageToken = "%%%not-a-token" }));
        var samePageSizeChanged = await _meetings.ListMeetingsAsync(
            new ListMeetingsRequest { RelationshipId = finance.Id, PageSize = 5, PageToken = first.NextPageToken });

        Assert.Equal(["page_token"], otherFilters.ViolatedFields());
        Assert.Equal(["page_token"], garbage.ViolatedFields());
        Assert.Single(samePageSizeChanged.Meetings);
    }
}
