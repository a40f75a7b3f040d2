using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Every error of every FeedbackService RPC, as a client sees it.</summary>
public sealed class FeedbackErrorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly string Nobody = Guid.NewGuid().ToString();

    private readonly FeedbackService.FeedbackServiceClient _feedback = api.Feedback;

    private async Task<(Department Finance, V1.Feedback Feedback)> AcknowledgedAsync()
    {
        api.Clock.Set(Now);
        var finance = await api.DepartmentAsync("Finance", [("Alice", StakeholderLevel.Staff)]);
        var given = await _feedback.SubmitAsync(Give(finance, "Alice", "The VPN drops every morning", rating: 2));
        return (finance, await _feedback.AcknowledgeAsync(given));
    }

    [Fact]
    public async Task A_stale_expected_version_on_any_feedback_change_is_aborted_and_changes_nothing()
    {
        var (finance, feedback) = await AcknowledgedAsync();
        var commitment = (await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "VPN fix", new DateOnly(2026, 11, 6)))).Commitment;
        var before = await api.EventCountAsync();

        await FailsWith(StatusCode.Aborted, _feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = feedback.Id, ExpectedVersion = 1 }));
        await FailsWith(StatusCode.Aborted, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest
        {
            FeedbackId = feedback.Id, ExpectedVersion = 1, CommitmentId = commitment.Id,
        }));
        await FailsWith(StatusCode.Aborted, _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
        {
            FeedbackId = feedback.Id, ExpectedVersion = 3, Reason = BudgetReason,
        }));
        await FailsWith(StatusCode.Aborted, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, ExpectedVersion = 1, Response = "Thanks", Channel = Channel.Chat,
        }));
        var current = await _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, ExpectedVersion = 2, Response = "Thanks", Channel = Channel.Chat,
        });

        Assert.Equal(before + 1, await api.EventCountAsync());
        Assert.Equal(3L, current.Version);
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        var (finance, feedback) = await AcknowledgedAsync();
        var strangerAudience = Ask(finance, "Alice");
        strangerAudience.AudienceStakeholderIds.Add(Nobody);
        var aboutNoMeeting = Ask(finance, "Alice");
        aboutNoMeeting.AboutMeetingId = Nobody;
        var fromStranger = Give(finance, "Alice", "hi");
        fromStranger.FromStakeholderId = Nobody;
        var nowhere = Give(finance, "Alice", "hi");
        nowhere.RelationshipId = Nobody;

        await FailsWith(StatusCode.NotFound, _feedback.RequestFeedbackAsync(new RequestFeedbackRequest(Ask(finance, "Alice")) { RelationshipId = Nobody }));
        await FailsWith(StatusCode.NotFound, _feedback.RequestFeedbackAsync(strangerAudience));
        await FailsWith(StatusCode.NotFound, _feedback.RequestFeedbackAsync(aboutNoMeeting));
        await FailsWith(StatusCode.NotFound, _feedback.SubmitFeedbackAsync(nowhere));
        await FailsWith(StatusCode.NotFound, _feedback.SubmitFeedbackAsync(fromStranger));
        await FailsWith(StatusCode.NotFound, _feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = Nobody }));
        await FailsWith(StatusCode.NotFound, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = Nobody, NewCommitment = Draft("x", new DateOnly(2026, 12, 1)) }));
        await FailsWith(StatusCode.NotFound, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = feedback.Id, CommitmentId = Nobody }));
        await FailsWith(StatusCode.NotFound, _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = Nobody, Reason = BudgetReason }));
        await FailsWith(StatusCode.NotFound, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = Nobody, Response = "x", Channel = Channel.Email,
        }));
        await FailsWith(StatusCode.NotFound, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, Response = "x", Channel = Channel.Email, StakeholderIds = { Nobody },
        }));
        await FailsWith(StatusCode.NotFound, _feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = Nobody }));
        await FailsWith(StatusCode.NotFound, _feedback.GetRequestForFeedbackAsync(new GetRequestForFeedbackRequest { FeedbackRequestId = Nobody }));
        await FailsWith(StatusCode.NotFound, _feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest { RelationshipId = Nobody }));
    }

    [Fact]
    public async Task An_archived_relationship_refuses_new_requests_and_feedback_but_its_open_loops_can_still_be_closed()
    {
        var (finance, feedback) = await AcknowledgedAsync();
        await api.Relationships.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = finance.Id, Reason = "merged into Corporate" });

        var ask = await FailsWith(StatusCode.FailedPrecondition, _feedback.RequestFeedbackAsync(Ask(finance, "Alice")));
        var give = await FailsWith(StatusCode.FailedPrecondition, _feedback.SubmitFeedbackAsync(Give(finance, "Alice", "still here")));
        var told = await _feedback.RespondAsync(feedback, "Corporate Services will pick this up");

        Assert.Contains("archived", ask.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("archived", give.Status.Detail, StringComparison.Ordinal);
        Assert.True(told.LoopClosed);
    }

    [Fact]
    public async Task Nothing_happens_in_the_future_nor_is_answered_before_it_was_asked_or_received()
    {
        var (finance, feedback) = await AcknowledgedAsync();
        var later = Ask(finance, "Alice");
        later.RequestedAt = At(Now.AddMinutes(5));
        var fromTomorrow = Give(finance, "Alice", "hello from tomorrow");
        fromTomorrow.ReceivedAt = At(Now.AddDays(1));

        await FailsWith(StatusCode.FailedPrecondition, _feedback.RequestFeedbackAsync(later));
        await FailsWith(StatusCode.FailedPrecondition, _feedback.SubmitFeedbackAsync(fromTomorrow));
        var future = await FailsWith(StatusCode.FailedPrecondition, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, Response = "x", Channel = Channel.Email, SentAt = At(Now.AddHours(1)),
        }));
        var early = await FailsWith(StatusCode.FailedPrecondition, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, Response = "x", Channel = Channel.Email, SentAt = At(Now.AddHours(-1)),
        }));

        Assert.Contains("future", future.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("before the feedback was received", early.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_commitment_cannot_carry_an_action()
    {
        var (finance, feedback) = await AcknowledgedAsync();
        var commitment = (await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "VPN fix", new DateOnly(2026, 11, 6)))).Commitment;
        await api.Commitments.CancelCommitmentAsync(new CancelCommitmentRequest { CommitmentId = commitment.Id, Reason = "vendor gone" });

        var failure = await FailsWith(StatusCode.FailedPrecondition,
            _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = feedback.Id, CommitmentId = commitment.Id }));

        Assert.Contains("cancelled", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_id_reused_for_a_different_feedback_request_is_invalid_argument()
    {
        var (finance, _) = await AcknowledgedAsync();
        var give = Give(finance, "Alice", "first");
        give.RequestId = Guid.NewGuid().ToString();
        await _feedback.SubmitFeedbackAsync(give);
        give.Comment = "second";

        var failure = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(give));

        Assert.Equal(["request_id"], failure.ViolatedFields());
    }

    [Fact]
    public async Task Empty_or_bad_mutations_name_every_bad_field()
    {
        var (_, feedback) = await AcknowledgedAsync();

        var ask = await FailsWith(StatusCode.InvalidArgument, _feedback.RequestFeedbackAsync(new RequestFeedbackRequest
        {
            RequestId = "not-a-uuid", AudienceStakeholderIds = { "x", "x" }, Periodic = Cadence.Unspecified, Question = new string('q', 2001),
            RequestedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = -99_999_999_999 },
        }));
        var noAudience = await FailsWith(StatusCode.InvalidArgument, _feedback.RequestFeedbackAsync(new RequestFeedbackRequest
        {
            RelationshipId = Nobody, Channel = Channel.Email, AboutCommitmentId = "nope",
        }));
        var give = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            AboutMeetingId = "nope", FeedbackRequestId = "nope", Comment = new string('c', 4001),
        }));
        var notGeneral = await FailsWith(StatusCode.InvalidArgument, _feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = Nobody, Anonymous = true, Channel = Channel.Phone, Rating = 3, General = false,
        }));
        var acknowledge = await FailsWith(StatusCode.InvalidArgument, _feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest
        {
            FeedbackId = "nope", ExpectedVersion = 0, Note = new string('n', 2001),
        }));
        var noCommitment = await FailsWith(StatusCode.InvalidArgument, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest { FeedbackId = feedback.Id }));
        var emptyDraft = await FailsWith(StatusCode.InvalidArgument, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest
        {
            FeedbackId = feedback.Id, NewCommitment = new CommitmentDraft { DueDate = new Date { Year = 2026, Month = 2, Day = 30 } },
        }));
        var badCommitmentId = await FailsWith(StatusCode.InvalidArgument, _feedback.ActionFeedbackAsync(new ActionFeedbackRequest
        {
            FeedbackId = feedback.Id, CommitmentId = "nope",
        }));
        var decline = await FailsWith(StatusCode.InvalidArgument, _feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest
        {
            FeedbackId = feedback.Id, Reason = "We cannot do this because " + new string('x', 2000),
        }));
        var respond = await FailsWith(StatusCode.InvalidArgument, _feedback.RespondToFeedbackAsync(new RespondToFeedbackRequest
        {
            FeedbackId = feedback.Id, StakeholderIds = { "x" },
        }));

        Assert.Equal(["audience_stakeholder_ids", "audience_stakeholder_ids[0]", "audience_stakeholder_ids[1]", "channel", "periodic",
            "question", "relationship_id", "request_id", "requested_at"], ask.ViolatedFields().Order());
        Assert.Equal(["about_commitment_id", "audience_stakeholder_ids"], noAudience.ViolatedFields().Order());
        Assert.Equal(["about_meeting_id", "channel", "comment", "feedback_request_id", "from", "relationship_id"], give.ViolatedFields().Order());
        Assert.Equal(["general"], notGeneral.ViolatedFields());
        Assert.Equal(["expected_version", "feedback_id", "note"], acknowledge.ViolatedFields().Order());
        Assert.Equal(["commitment"], noCommitment.ViolatedFields());
        Assert.Equal(["new_commitment.direction", "new_commitment.due_date", "new_commitment.owner", "new_commitment.title"],
            emptyDraft.ViolatedFields().Order());
        Assert.Equal(["commitment_id"], badCommitmentId.ViolatedFields());
        Assert.Equal(["reason"], decline.ViolatedFields());
        Assert.Equal(["channel", "response", "stakeholder_ids[0]"], respond.ViolatedFields().Order());
    }

    [Fact]
    public async Task Bad_reads_lists_and_stats_are_invalid_argument()
    {
        var get = await FailsWith(StatusCode.InvalidArgument, _feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = "nope" }));
        var getRequest = await FailsWith(StatusCode.InvalidArgument, _feedback.GetRequestForFeedbackAsync(new GetRequestForFeedbackRequest()));
        var list = await FailsWith(StatusCode.InvalidArgument, _feedback.ListFeedbackAsync(new ListFeedbackRequest
        {
            PageSize = 501, RelationshipId = "nope", Statuses = { FeedbackStatus.Unspecified }, LoopOpenMoreThanDays = -1, MinRating = 4, MaxRating = 2,
            FeedbackRequestId = "nope",
        }));
        var ratings = await FailsWith(StatusCode.InvalidArgument, _feedback.ListFeedbackAsync(new ListFeedbackRequest { MinRating = -1, MaxRating = 11 }));
        var token = await FailsWith(StatusCode.InvalidArgument, _feedback.ListFeedbackAsync(new ListFeedbackRequest { PageToken = "garbage" }));
        var stats = await FailsWith(StatusCode.InvalidArgument, _feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest
        {
            RelationshipId = "nope", PeriodStart = At(Now), PeriodEnd = At(Now.AddDays(-1)), LoopOpenDays = 3651,
        }));

        Assert.Equal(["feedback_id"], get.ViolatedFields());
        Assert.Equal(["feedback_request_id"], getRequest.ViolatedFields());
        Assert.Equal(["feedback_request_id", "loop_open_more_than_days", "max_rating", "page_size", "relationship_id", "statuses[0]"],
            list.ViolatedFields().Order());
        Assert.Equal(["max_rating", "min_rating"], ratings.ViolatedFields().Order());
        Assert.Equal(["page_token"], token.ViolatedFields());
        Assert.Equal(["loop_open_days", "period_end", "relationship_id"], stats.ViolatedFields().Order());
    }
}
