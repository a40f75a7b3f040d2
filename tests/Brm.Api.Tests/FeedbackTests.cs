using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

public sealed class FeedbackTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Friday = new(2026, 11, 6);

    private readonly FeedbackService.FeedbackServiceClient _feedback = api.Feedback;

    [Fact]
    public async Task Feedback_is_acknowledged_actioned_through_a_new_commitment_and_answered_with_its_whole_loop()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "Please tell us about outages earlier", rating: 2));
        api.Clock.Advance(TimeSpan.FromHours(3));
        await _feedback.AcknowledgeAsync(given, "Thanks, we'll look at the notice period");
        api.Clock.Advance(TimeSpan.FromDays(1));
        var actioned = await _feedback.ActionWithNewAsync(given, "Outage notices a day ahead", Friday.AddDays(7));
        var told = await _feedback.RespondAsync(given, "We're on it: notices a day ahead from next week", finance["Alice"]);
        var read = await _feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = given.Id });
        var commitment = (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = actioned.Commitment.Id })).Commitment;

        Assert.Equal((1L, 3L), (given.Version, actioned.Version));
        Assert.Equal(told, read.Feedback);
        Assert.Equal((FeedbackStatus.Responded, true, 1), (read.Feedback.Status, read.Feedback.LoopClosed, read.Feedback.LoopOpenDays));
        Assert.Equal((finance["Alice"], false, 2, FeedbackSubjectKind.General), (read.Feedback.FromStakeholderId, read.Feedback.Anonymous,
            read.Feedback.Rating, read.Feedback.About.Kind));
        Assert.Equal("Thanks, we'll look at the notice period", read.Feedback.Acknowledged.Text);
        Assert.Equal(MeetingBuilders.At(Monday.AddHours(3)), read.Feedback.Acknowledged.At);
        Assert.Equal(actioned.Commitment.Id, read.Feedback.ActionedCommitmentId);
        Assert.Equal(Channel.Email, read.Feedback.Response.Channel);
        Assert.Equal([finance["Alice"]], read.Feedback.Response.StakeholderIds);
        Assert.Equal((given.Id, "Outage notices a day ahead"), (commitment.SourceFeedbackId, commitment.Title));
        Assert.Equal(commitment, read.Commitment);
        Assert.Equal(MeetingBuilders.At(Monday), read.Feedback.ReceivedAt);
    }

    [Fact]
    public async Task A_commitment_made_from_a_feedback_item_can_carry_its_action_but_not_one_of_another_department()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "The expense tool is slow at month end"));
        var elsewhere = await _feedback.SubmitAsync(Give(hr, "Hana", "Payroll screens time out"));
        var request = Commitment(finance.Relationship, "Speed up the expense tool", Friday);
        request.SourceFeedbackId = given.Id;

        var made = (await api.Commitments.MakeCommitmentAsync(request)).Commitment;
        await _feedback.AcknowledgeAsync(given);
        var actioned = await _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = given.Id, CommitmentId = made.Id });
        request.SourceFeedbackId = elsewhere.Id;
        var foreign = await FailsWith(StatusCode.FailedPrecondition, api.Commitments.MakeCommitmentAsync(request));
        request.SourceFeedbackId = Guid.NewGuid().ToString();
        await FailsWith(StatusCode.NotFound, api.Commitments.MakeCommitmentAsync(request));
        await _feedback.AcknowledgeAsync(elsewhere);
        var crossed = await FailsWith(StatusCode.FailedPrecondition,
            _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = elsewhere.Id, CommitmentId = made.Id }));

        Assert.Equal(given.Id, made.SourceFeedbackId);
        Assert.Equal((FeedbackStatus.Actioned, made.Id), (actioned.Feedback.Status, actioned.Feedback.ActionedCommitmentId));
        Assert.Equal(made.Id, actioned.Commitment.Id);
        Assert.Contains("another relationship", foreign.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("another relationship", crossed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decline_needs_a_meaningful_reason_and_stays_declined_not_yet_told_until_the_business_hears()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "A second laptop for everyone"));
        await _feedback.AcknowledgeAsync(given);

        var tooShort = await FailsWith(StatusCode.InvalidArgument,
            _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id, Reason = "n/a" }));
        var placeholder = await FailsWith(StatusCode.InvalidArgument,
            _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id, Reason = "No reason given." }));
        var empty = await FailsWith(StatusCode.InvalidArgument, _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id }));
        var declined = await _feedback.DeclineAsync(given);
        api.Clock.Advance(TimeSpan.FromDays(3));
        var untold = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = finance.Id, Statuses = { FeedbackStatus.Declined } });
        var told = await _feedback.RespondAsync(given, "No budget this year; we will look again in April");
        var stillUntold = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = finance.Id, Statuses = { FeedbackStatus.Declined } });

        Assert.Equal(["reason"], tooShort.ViolatedFields());
        Assert.Contains("at least 3 words", tooShort.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["reason"], placeholder.ViolatedFields());
        Assert.Contains("placeholder", placeholder.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["reason"], empty.ViolatedFields());
        Assert.Equal((FeedbackStatus.Declined, false, BudgetReason), (declined.Status, declined.LoopClosed, declined.Declined.Text));
        Assert.Equal([given.Id], untold.Feedback.Select(f => f.Id));
        Assert.Equal(3, untold.Feedback[0].LoopOpenDays);
        Assert.Equal((FeedbackStatus.Responded, BudgetReason), (told.Status, told.Declined.Text));
        Assert.Empty(stillUntold.Feedback);
    }

    [Fact]
    public async Task Steps_out_of_order_are_refused_and_a_closed_item_refuses_every_change()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "More training on the new ERP"));
        var before = await api.EventCountAsync();

        var unacknowledged = await FailsWith(StatusCode.FailedPrecondition, () => _feedback.ActionWithNewAsync(given, "ERP training", Friday));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = given.Id, Response = "Thanks", Channel = Channel.Email,
        }));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id, Reason = BudgetReason }));
        Assert.Equal(before, await api.EventCountAsync());

        await _feedback.AcknowledgeAsync(given);
        var again = await _feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = given.Id });
        var actioned = await _feedback.ActionWithNewAsync(given, "ERP training sessions", Friday);
        var decline = await FailsWith(StatusCode.FailedPrecondition,
            _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = given.Id, Reason = BudgetReason }));
        await _feedback.RespondAsync(given, "We're on it: sessions start Friday");
        var closed = await FailsWith(StatusCode.FailedPrecondition, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = given.Id, Response = "Again", Channel = Channel.Email,
        }));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = given.Id }));

        Assert.Contains("acknowledge it", unacknowledged.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(2L, again.Version);
        Assert.Equal(3L, actioned.Version);
        Assert.Contains("exclude each other", decline.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("closed", closed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_feedback_keeps_no_stakeholder_link_and_ratings_must_be_1_to_5()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var anonymous = await _feedback.SubmitAsync(Give(finance, null, "", rating: 5));
        var tooHigh = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(Give(finance, "Alice", "great", rating: 6)));
        var zero = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(Give(finance, "Alice", "meh", rating: 0)));
        var notAnonymous = Give(finance, null, "x");
        notAnonymous.Anonymous = false;
        var nobody = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(notAnonymous));
        var blank = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = "not-a-uuid", Comment = "  ",
        }));

        Assert.Equal(("", true, 5, ""), (anonymous.FromStakeholderId, anonymous.Anonymous, anonymous.Rating, anonymous.Comment));
        Assert.Equal(["rating"], tooHigh.ViolatedFields());
        Assert.Equal(["rating"], zero.ViolatedFields());
        Assert.Equal(["anonymous"], nobody.ViolatedFields());
        Assert.Equal(["channel", "comment", "from_stakeholder_id"], blank.ViolatedFields().Order());
    }

    [Fact]
    public async Task Answers_to_a_request_match_its_relationship_take_its_subject_and_show_who_has_not_answered()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff), ("Bob", StakeholderLevel.Staff), ("Cy", StakeholderLevel.Staff)]);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)]);
        var asked = (await _feedback.RequestFeedbackAsync(Ask(finance, "Alice", "Bob", "Cy"))).FeedbackRequest;
        api.Clock.Advance(TimeSpan.FromHours(1));
        var alice = await _feedback.SubmitAsync(Give(finance, "Alice", "All good", rating: 4, answering: asked.Id));
        await _feedback.SubmitAsync(Give(finance, null, "VPN is flaky", rating: 2, answering: asked.Id));

        var wrong = await FailsWith(StatusCode.FailedPrecondition, _feedback.SubmitFeedbackAsync(Give(hr, "Hana", "hi", answering: asked.Id)));
        await FailsWith(StatusCode.NotFound, _feedback.SubmitFeedbackAsync(Give(finance, "Bob", "hi", answering: Guid.NewGuid().ToString())));
        var early = Give(finance, "Bob", "from the past", answering: asked.Id);
        early.ReceivedAt = At(Monday.AddMinutes(-1));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.SubmitFeedbackAsync(early));
        var status = await _feedback.GetRequestForFeedbackAsync(new GetRequestForFeedbackRequest { FeedbackRequestId = asked.Id });
        var answers = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { FeedbackRequestId = asked.Id });

        Assert.Equal((FeedbackSubjectKind.Periodic, Cadence.Monthly), (asked.About.Kind, asked.About.Cadence));
        Assert.Equal((FeedbackSubjectKind.Periodic, asked.Id), (alice.About.Kind, alice.FeedbackRequestId));
        Assert.Contains("another relationship", wrong.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((2, 1), (status.Answers, status.AnonymousAnswers));
        Assert.Equal([finance["Alice"]], status.AnsweredStakeholderIds);
        Assert.Equal(finance.Ids("Bob", "Cy"), status.NotAnsweredStakeholderIds);
        Assert.Equal(asked, status.FeedbackRequest);
        Assert.Equal(2, answers.Feedback.Count);
    }

    [Fact]
    public async Task Feedback_about_a_meeting_or_commitment_must_be_about_one_of_its_own_relationship()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)]);
        var chat = (await api.Meetings.LogConversationAsync(Conversation(finance, Monday.AddHours(-1), "Alice"))).Meeting;
        var hrPromise = (await api.Commitments.MakeCommitmentAsync(Commitment(hr.Relationship, "Payroll fix", Friday))).Commitment;
        var aboutChat = Give(finance, "Alice", "Good chat, thanks", rating: 5);
        aboutChat.AboutMeetingId = chat.Id;
        var aboutForeign = Give(finance, "Alice", "How is payroll going?");
        aboutForeign.AboutCommitmentId = hrPromise.Id;
        var aboutNothing = Give(finance, "Alice", "?");
        aboutNothing.AboutMeetingId = Guid.NewGuid().ToString();
        var askAboutForeign = Ask(finance, "Alice");
        askAboutForeign.AboutCommitmentId = hrPromise.Id;

        var onChat = await _feedback.SubmitAsync(aboutChat);
        await FailsWith(StatusCode.FailedPrecondition, _feedback.SubmitFeedbackAsync(aboutForeign));
        await FailsWith(StatusCode.NotFound, _feedback.SubmitFeedbackAsync(aboutNothing));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.RequestFeedbackAsync(askAboutForeign));

        Assert.Equal((FeedbackSubjectKind.Meeting, chat.Id), (onChat.About.Kind, onChat.About.MeetingId));
    }

    [Fact]
    public async Task Lists_page_longest_waiting_first_and_filter_by_state_rating_and_loops_open_for_more_than_n_days()
    {
        api.Clock.Set(Monday);
        var ops = await api.DepartmentAsync("Operations", [("Olga", StakeholderLevel.Staff)]);
        var items = new List<V1.Feedback>();
        foreach (var (rating, days) in new[] { (1, 0), (3, 2), (5, 4), (4, 6), (2, 8) })
        {
            api.Clock.Set(Monday.AddDays(days));
            items.Add(await _feedback.SubmitAsync(Give(ops, "Olga", $"rated {rating}", rating)));
        }

        api.Clock.Set(Monday.AddDays(8));
        await _feedback.AcknowledgeAsync(items[0]);
        await _feedback.RespondAsync(items[0], "Thanks, noted");
        var seen = new List<string>();
        var request = new ListFeedbackRequest { RelationshipId = ops.Id, PageSize = 2 };
        do
        {
            var page = await _feedback.ListFeedbackAsync(request);
            seen.AddRange(page.Feedback.Select(f => f.Comment));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        var midRated = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = ops.Id, MinRating = 2, MaxRating = 4 });
        var openOverFive = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = ops.Id, LoopOpenMoreThanDays = 5 });
        var open = await _feedback.ListFeedbackAsync(new ListFeedbackRequest
        {
            RelationshipId = ops.Id, Statuses = { FeedbackStatus.Received, FeedbackStatus.Acknowledged },
        });
        var first = await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = ops.Id, PageSize = 1 });
        var otherFilters = await FailsWith(StatusCode.InvalidArgument, _feedback.ListFeedbackAsync(new ListFeedbackRequest
        {
            RelationshipId = ops.Id, PageSize = 1, MinRating = 2, PageToken = first.NextPageToken,
        }));

        Assert.Equal(["rated 1", "rated 3", "rated 5", "rated 4", "rated 2"], seen);
        Assert.Equal(["rated 3", "rated 4", "rated 2"], midRated.Feedback.Select(f => f.Comment));
        Assert.Equal(["rated 3"], openOverFive.Feedback.Select(f => f.Comment));
        Assert.Equal(4, open.Feedback.Count);
        Assert.Equal(["page_token"], otherFilters.ViolatedFields());
    }

    [Fact]
    public async Task A_repeated_request_id_records_one_item_and_makes_one_commitment()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var give = Give(finance, "Alice", "Once only");
        give.RequestId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await _feedback.SubmitFeedbackAsync(give)));
        await _feedback.AcknowledgeAsync(answers[0].Feedback);
        var action = new ActionFeedbackRequest { RequestId = Guid.NewGuid().ToString(), FeedbackId = answers[0].Feedback.Id, NewCommitment = Draft("Once", Friday) };
        var first = await _feedback.ActionFeedbackAsync(action);
        var replay = await _feedback.ActionFeedbackAsync(action);

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Single((await _feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = finance.Id })).Feedback);
        Assert.Equal(first, replay);
        Assert.Single((await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id })).Commitments);
    }

    [Fact]
    public async Task Making_the_commitment_and_the_action_commit_together_or_not_at_all()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "Faster laptops"));
        var acknowledged = await _feedback.AcknowledgeAsync(given);

        var stale = await FailsWith(StatusCode.Aborted, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest
        {
            FeedbackId = given.Id, ExpectedVersion = 1, NewCommitment = Draft("Laptop refresh", Friday),
        }));
        var backdated = await FailsWith(StatusCode.FailedPrecondition, () => _feedback.ActionWithNewAsync(given, "Laptop refresh", new DateOnly(2026, 11, 1)));

        Assert.Equal(2L, acknowledged.Version);
        Assert.Contains("before the day", backdated.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await api.Commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id })).Commitments);
        Assert.Equal(FeedbackStatus.Acknowledged, (await _feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = given.Id })).Feedback.Status);
        Assert.NotNull(stale);
    }

    [Fact]
    public async Task The_loop_reaches_the_typed_feed_and_the_timeline()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var asked = (await _feedback.RequestFeedbackAsync(Ask(finance, "Alice"))).FeedbackRequest;
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "Laptops are slow", rating: 2, answering: asked.Id));
        await _feedback.AcknowledgeAsync(given);
        await _feedback.DeclineAsync(given);
        await api.WaitForProjectionsAsync();

        var timeline = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = finance.Id, PageSize = 3 });
        using var feed = api.Reporting.StreamEvents(new StreamEventsRequest
        {
            RelationshipIds = { finance.Id }, EventTypes = { "feedback_requested", "feedback_received", "feedback_declined" },
        });
        var payloads = new List<EventPayload>();
        await foreach (var item in feed.ResponseStream.ReadAllAsync())
        {
            if (item.Event is { } e)
            {
                payloads.Add(e.Payload);
            }
        }

        Assert.Equal(
            [
                $"Declined feedback: {BudgetReason}",
                "Acknowledged feedback",
                "Received feedback (monthly check-in), rated 2/5: Laptops are slow",
            ],
            timeline.Entries.Select(e => e.Summary));
        Assert.Equal(
            [EventPayload.EventOneofCase.FeedbackRequested, EventPayload.EventOneofCase.FeedbackReceived, EventPayload.EventOneofCase.FeedbackDeclined],
            payloads.Select(p => p.EventCase));
        Assert.Equal((finance["Alice"], asked.Id, 2), (payloads[1].FeedbackReceived.FromStakeholderId, payloads[1].FeedbackReceived.FeedbackRequestId,
            payloads[1].FeedbackReceived.Rating));
    }
}
