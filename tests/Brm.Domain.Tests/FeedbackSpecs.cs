using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Relationships;

namespace Brm.Domain.Tests;

public sealed class FeedbackSpecs
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid RequestId = Guid.NewGuid();
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();
    private static readonly Guid Meeting = Guid.NewGuid();
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private const string Brm = "brm.jane";

    private static readonly Relationship Relationship = new object[]
    {
        new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, Monday.AddDays(-30)),
        new StakeholderAdded(Finance, Alice, "Alice Smith", "Clerk", StakeholderLevel.Staff, null, Degree.Low, Degree.High, Brm, Monday.AddDays(-30)),
        new StakeholderAdded(Finance, Bob, "Bob Jones", "Clerk", StakeholderLevel.Staff, null, Degree.Low, Degree.High, Brm, Monday.AddDays(-30)),
    }.Aggregate((Relationship?)null, Relationship.Fold)!;

    private static readonly FeedbackRequest Request = FeedbackRequest.Fold(null, new FeedbackRequested(
        RequestId, Finance, [Alice, Bob], Channel.Email, FeedbackSubject.Periodic(Cadence.Monthly), "How are we doing?", FeedbackScale.Rating, Brm, Monday.AddDays(-1)));

    private static readonly FeedbackReceived Received = new(
        Id, Finance, Alice, Channel.Email, 2, FeedbackScale.Rating, "Tell us about outages earlier", FeedbackSubject.General, null, Brm, Monday);

    private static readonly FeedbackAcknowledged Acknowledged = new(Id, Finance, "Thanks, looking into it", Brm, Monday.AddHours(2));

    private const string Budget = "There is no budget for a second laptop per person this financial year";

    private static Spec<FeedbackItem, FeedbackCommand> Spec(Relationship? relationship = null) =>
        new((c, s) => FeedbackDecider.Decide(c, s, relationship ?? Relationship));

    private static Spec<FeedbackRequest, RequestFeedback> RequestSpec(Relationship? relationship = null) =>
        new((c, s) => FeedbackDecider.Decide(c, s, relationship ?? Relationship));

    private static SubmitFeedback Submit(
        Guid? from = null, FeedbackSubject? about = null, Guid? subjectRelationship = null, FeedbackRequest? answers = null, DateTimeOffset? receivedAt = null) =>
        new(Id, Finance, from, Channel.Email, 2, "Tell us about outages earlier", about, subjectRelationship, answers, receivedAt, Brm, Monday);

    private static Commitment CommitmentOf(Guid relationship, params object[] later) =>
        later.Aggregate(Commitment.Fold(null, new CommitmentMade(
            Guid.NewGuid(), relationship, "Outage notices a day ahead", null, "omar", new DateOnly(2026, 11, 30), CommitmentDirection.ItToBusiness,
            new CommitmentSource(SourceKind.Feedback, Id, null), true, Brm, Monday)), Commitment.Fold);

    [Fact]
    public void Given_nothing_when_submitted_by_a_stakeholder_then_received_as_general_feedback() =>
        Spec().When(Submit(from: Alice)).Then(Received);

    [Fact]
    public void Given_a_request_when_answered_anonymously_then_no_stakeholder_is_linked_and_it_is_about_what_was_asked() =>
        Spec().When(Submit(answers: Request))
            .Then(Received with { FromStakeholderId = null, About = FeedbackSubject.Periodic(Cadence.Monthly), FeedbackRequestId = RequestId });

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void Given_nothing_when_rated_off_the_one_to_five_scale_then_fails(int rating) =>
        Assert.Contains("rating must be between 1 and 5", Spec().When(Submit(from: Alice) with { Rating = rating })
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Given_nothing_when_rated_at_either_end_of_the_scale_then_received(int rating) =>
        Spec().When(Submit(from: Alice) with { Rating = rating }).Then(Received with { Rating = rating });

    [Fact]
    public void Given_an_nps_request_when_answered_ten_then_received_on_its_scale() =>
        Spec().When(Submit(from: Alice, answers: Request with { Scale = FeedbackScale.Nps }) with { Rating = 10 })
            .Then(Received with
            {
                Rating = 10, Scale = FeedbackScale.Nps, About = FeedbackSubject.Periodic(Cadence.Monthly), FeedbackRequestId = RequestId,
            });

    [Fact]
    public void Given_an_nps_request_when_answered_eleven_then_fails() =>
        Assert.Contains("between 0 and 10 on the NPS scale", Spec()
            .When(Submit(from: Alice, answers: Request with { Scale = FeedbackScale.Nps }) with { Rating = 11 })
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Given_nothing_when_submitted_with_neither_comment_nor_rating_then_fails(string? comment) =>
        Assert.Equal(FeedbackAnswer.CommentOrRatingRequired, Spec().When(Submit(from: Alice) with { Rating = null, Comment = comment })
            .ThenFails(DomainError.RuleBroken).Message);

    [Fact]
    public void Given_nothing_when_submitted_with_a_comment_alone_then_received() =>
        Spec().When(Submit(from: Alice) with { Rating = null }).Then(Received with { Rating = null });

    [Fact]
    public void Given_nothing_when_submitted_with_a_rating_alone_then_received() =>
        Spec().When(Submit(from: Alice) with { Comment = null }).Then(Received with { Comment = null });

    [Fact]
    public void An_answer_with_neither_comment_nor_rating_is_refused_on_the_form_too() =>
        Assert.Contains(("rating", FeedbackAnswer.CommentOrRatingRequired), FeedbackAnswer.Problems(FeedbackScale.Rating, null, " "));

    [Fact]
    public void Given_nothing_when_submitted_by_a_stranger_then_fails_not_found() =>
        Spec().When(Submit(from: Guid.NewGuid())).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_another_relationships_request_when_answered_then_fails() =>
        Assert.Contains("another relationship", Spec().When(Submit(from: Alice, answers: Request with { RelationshipId = Guid.NewGuid() }))
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_a_request_when_answered_before_it_was_sent_then_fails() =>
        Spec().When(Submit(from: Alice, answers: Request, receivedAt: Monday.AddDays(-2))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_nothing_when_submitted_about_another_relationships_meeting_then_fails() =>
        Spec().When(Submit(from: Alice, about: FeedbackSubject.Meeting(Meeting), subjectRelationship: Guid.NewGuid())).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_nothing_when_submitted_about_its_own_meeting_then_received_about_it() =>
        Spec().When(Submit(from: Alice, about: FeedbackSubject.Meeting(Meeting), subjectRelationship: Finance))
            .Then(Received with { About = FeedbackSubject.Meeting(Meeting) });

    [Fact]
    public void Given_nothing_when_received_in_the_future_then_fails() =>
        Spec().When(Submit(from: Alice, receivedAt: Monday.AddMinutes(1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_archived_relationship_when_submitted_then_fails() =>
        Spec(Relationship.Fold(Relationship, new RelationshipArchived(Finance, "merged", Brm, Monday)))
            .When(Submit(from: Alice)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_received_when_acknowledged_then_acknowledged() =>
        Spec().Given(Received).When(new AcknowledgeFeedback(Id, "Thanks, looking into it", Brm, Monday.AddHours(2))).Then(Acknowledged);

    [Fact]
    public void Given_acknowledged_when_acknowledged_again_then_nothing() =>
        Spec().Given(Received, Acknowledged).When(new AcknowledgeFeedback(Id, null, Brm, Monday.AddHours(3))).ThenNothing();

    [Fact]
    public void Given_received_when_actioned_then_fails_until_acknowledged() =>
        Assert.Contains("acknowledge it", Spec().Given(Received).When(new ActionFeedback(Id, CommitmentOf(Finance), Brm, Monday))
            .ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);

    [Fact]
    public void Given_acknowledged_when_actioned_through_a_commitment_then_actioned()
    {
        var commitment = CommitmentOf(Finance);
        Spec().Given(Received, Acknowledged).When(new ActionFeedback(Id, commitment, Brm, Monday.AddDays(1)))
            .Then(new FeedbackActioned(Id, Finance, commitment.Id, Brm, Monday.AddDays(1)));
    }

    [Fact]
    public void Given_actioned_when_actioned_again_through_the_same_commitment_then_nothing_and_through_another_fails()
    {
        var commitment = CommitmentOf(Finance);
        var actioned = new FeedbackActioned(Id, Finance, commitment.Id, Brm, Monday);

        Spec().Given(Received, Acknowledged, actioned).When(new ActionFeedback(Id, commitment, Brm, Monday)).ThenNothing();
        Spec().Given(Received, Acknowledged, actioned).When(new ActionFeedback(Id, CommitmentOf(Finance), Brm, Monday)).ThenFails(DomainError.RuleBroken);
    }

    [Fact]
    public void Given_acknowledged_when_actioned_through_another_relationships_commitment_then_fails() =>
        Spec().Given(Received, Acknowledged).When(new ActionFeedback(Id, CommitmentOf(Guid.NewGuid()), Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_acknowledged_when_actioned_through_a_cancelled_commitment_then_fails()
    {
        var cancelled = CommitmentOf(Finance);
        cancelled = Commitment.Fold(cancelled, new CommitmentCancelled(cancelled.Id, Finance, "vendor gone", Brm, Monday));

        Spec().Given(Received, Acknowledged).When(new ActionFeedback(Id, cancelled, Brm, Monday)).ThenFails(DomainError.RuleBroken);
    }

    [Fact]
    public void Given_acknowledged_when_declined_with_a_reason_then_declined() =>
        Spec().Given(Received, Acknowledged).When(new DeclineFeedback(Id, Budget, Brm, Monday.AddDays(1)))
            .Then(new FeedbackDeclined(Id, Finance, Budget, Brm, Monday.AddDays(1)));

    [Theory]
    [InlineData("")]
    [InlineData("n/a")]
    [InlineData("budget")]
    [InlineData("To be decided.")]
    [InlineData("No reason given")]
    [InlineData("xxxxxxxxxxxxxxxxxxxx")]
    [InlineData("no no no no no no no")]
    [InlineData("Lorem ipsum dolor sit amet")]
    public void Given_acknowledged_when_declined_without_a_meaningful_reason_then_fails(string reason) =>
        Spec().Given(Received, Acknowledged).When(new DeclineFeedback(Id, reason, Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_declined_when_actioned_then_fails_because_they_exclude_each_other() =>
        Spec().Given(Received, Acknowledged, new FeedbackDeclined(Id, Finance, Budget, Brm, Monday))
            .When(new ActionFeedback(Id, CommitmentOf(Finance), Brm, Monday)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_received_when_responded_then_fails_until_acknowledged() =>
        Spec().Given(Received).When(Respond(null)).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_acknowledged_when_responded_then_the_loop_closes() =>
        Spec().Given(Received, Acknowledged).When(Respond(Monday.AddDays(1)))
            .Then(new FeedbackResponseSent(Id, Finance, "We're on it", Channel.Email, [Alice], Brm, Monday.AddDays(1)));

    [Fact]
    public void Given_actioned_when_responded_before_the_commitment_is_delivered_then_the_loop_closes() =>
        Spec().Given(Received, Acknowledged, new FeedbackActioned(Id, Finance, Guid.NewGuid(), Brm, Monday)).When(Respond(null))
            .Then(new FeedbackResponseSent(Id, Finance, "We're on it", Channel.Email, [Alice], Brm, Monday.AddDays(2)));

    [Fact]
    public void Given_declined_when_responded_with_the_reason_then_the_loop_closes() =>
        Spec().Given(Received, Acknowledged, new FeedbackDeclined(Id, Finance, Budget, Brm, Monday)).When(Respond(null))
            .Then(new FeedbackResponseSent(Id, Finance, "We're on it", Channel.Email, [Alice], Brm, Monday.AddDays(2)));

    [Fact]
    public void Given_acknowledged_when_responded_before_it_was_received_then_fails() =>
        Spec().Given(Received, Acknowledged).When(Respond(Monday.AddMinutes(-1))).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_acknowledged_when_responded_to_a_stranger_then_fails_not_found() =>
        Spec().Given(Received, Acknowledged)
            .When(new RespondToFeedback(Id, "We're on it", Channel.Email, null, [Guid.NewGuid()], Brm, Monday.AddDays(2)))
            .ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_responded_when_anything_then_fails_because_a_closed_item_refuses_changes()
    {
        object[] closed = [Received, Acknowledged, new FeedbackResponseSent(Id, Finance, "Thanks", Channel.Chat, [], Brm, Monday)];

        Assert.Contains("closed", Spec().Given(closed).When(Respond(null)).ThenFails(DomainError.RuleBroken).Message, StringComparison.Ordinal);
        Spec().Given(closed).When(new AcknowledgeFeedback(Id, null, Brm, Monday)).ThenFails(DomainError.RuleBroken);
        Spec().Given(closed).When(new DeclineFeedback(Id, Budget, Brm, Monday)).ThenFails(DomainError.RuleBroken);
    }

    [Fact]
    public void Given_nothing_when_acknowledged_then_fails_not_found() =>
        Spec().When(new AcknowledgeFeedback(Id, null, Brm, Monday)).ThenFails(DomainError.NotFound);

    [Fact]
    public void A_declined_item_stays_declined_not_yet_told_until_it_is_responded_to()
    {
        var declined = Fold(Received, Acknowledged, new FeedbackDeclined(Id, Finance, Budget, Brm, Monday.AddDays(1)));
        var told = FeedbackItem.Fold(declined, new FeedbackResponseSent(Id, Finance, Budget, Channel.Email, [Alice], Brm, Monday.AddDays(3)));

        Assert.Equal((FeedbackStatus.Declined, false), (declined.Status, declined.LoopClosed));
        Assert.Equal((FeedbackStatus.Responded, true, Budget), (told.Status, told.LoopClosed, told.Declined?.Text));
        Assert.Equal(3, told.LoopOpenDays(new DateOnly(2026, 12, 31)));
        Assert.Equal(7, declined.LoopOpenDays(new DateOnly(2026, 11, 9)));
        Assert.True(declined.LoopOpenMoreThan(6, new DateOnly(2026, 11, 9)));
        Assert.False(declined.LoopOpenMoreThan(7, new DateOnly(2026, 11, 9)));
        Assert.False(told.LoopOpenMoreThan(0, new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Given_nothing_when_feedback_is_requested_from_current_stakeholders_then_requested() =>
        RequestSpec().When(RequestFeedback([Alice, Bob]))
            .Then(new FeedbackRequested(RequestId, Finance, [Alice, Bob], Channel.Email, FeedbackSubject.Periodic(Cadence.Monthly), null, FeedbackScale.Rating, Brm, Monday)
            {
                SeriesId = RequestId, PeriodStart = new DateOnly(Monday.Year, Monday.Month, 1),
            });

    [Fact]
    public void Given_nothing_when_feedback_is_requested_from_a_stranger_then_fails_not_found() =>
        RequestSpec().When(RequestFeedback([Alice, Guid.NewGuid()])).ThenFails(DomainError.NotFound);

    [Fact]
    public void Given_nothing_when_feedback_is_requested_about_another_relationships_meeting_then_fails() =>
        RequestSpec().When(RequestFeedback([Alice]) with { About = FeedbackSubject.Meeting(Meeting), SubjectRelationshipId = Guid.NewGuid() })
            .ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_nothing_when_feedback_is_requested_in_the_future_then_fails() =>
        RequestSpec().When(RequestFeedback([Alice]) with { RequestedAt = Monday.AddHours(1) }).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Given_an_archived_relationship_when_feedback_is_requested_then_fails() =>
        RequestSpec(Relationship.Fold(Relationship, new RelationshipArchived(Finance, "merged", Brm, Monday)))
            .When(RequestFeedback([Alice])).ThenFails(DomainError.RuleBroken);

    [Fact]
    public void Stats_count_response_rate_loop_closure_declines_told_and_ratings_per_month()
    {
        var asOf = new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero);
        var request = Request with { AudienceStakeholderIds = [Alice, Bob, Guid.NewGuid(), Guid.NewGuid()] };
        // Alice answers twice (counts once), one anonymous answer, Bob never.
        var a1 = Fold(Received with { FeedbackId = Guid.NewGuid(), FeedbackRequestId = RequestId, Rating = 4 },
            Acknowledged with { AcknowledgedAt = Monday.AddHours(2) },
            new FeedbackResponseSent(Id, Finance, "Thanks", Channel.Email, [], Brm, Monday.AddHours(10)));
        var a2 = Fold(Received with { FeedbackId = Guid.NewGuid(), FeedbackRequestId = RequestId, Rating = 2 },
            Acknowledged with { AcknowledgedAt = Monday.AddHours(4) },
            new FeedbackDeclined(Id, Finance, Budget, Brm, Monday.AddDays(1)),
            new FeedbackResponseSent(Id, Finance, Budget, Channel.Email, [], Brm, Monday.AddHours(30)));
        var anonymous = Fold(Received with { FeedbackId = Guid.NewGuid(), FromStakeholderId = null, FeedbackRequestId = RequestId, Rating = null },
            Acknowledged with { AcknowledgedAt = Monday.AddHours(12) }, new FeedbackDeclined(Id, Finance, Budget, Brm, Monday.AddDays(1)));
        var december = Fold(Received with { FeedbackId = Guid.NewGuid(), Rating = 5, ReceivedAt = asOf.AddDays(-2) });

        var stats = FeedbackLoopStats.From([request], [a1, a2, anonymous], [a1, a2, anonymous, december], asOf, loopOpenDays: 30);

        Assert.Equal((1, 4, 2), (stats.RequestsSent, stats.PeopleAsked, stats.Responses));
        Assert.Equal(0.5, stats.ResponseRate);
        Assert.Equal((4, 3, 2, 2, 1), (stats.Received, stats.Acknowledged, stats.LoopsClosed, stats.OpenLoops, stats.OpenLoopsOverThreshold));
        Assert.Equal(TimeSpan.FromHours(4), stats.MedianTimeToAcknowledge);
        Assert.Equal(TimeSpan.FromHours(20), stats.MedianTimeToClose);
        Assert.Equal(0.5, stats.LoopsClosedShare);
        Assert.Equal((0, 1, 1), (stats.Actioned, stats.DeclinesTold, stats.DeclinesNotTold));
        Assert.Equal((3, 11 / 3.0), (stats.Rated, stats.AverageRating!.Value));
        Assert.Equal([new MonthlyRating(2026, 11, 2, 3), new MonthlyRating(2026, 12, 1, 5)], stats.MonthlyRatings);
    }

    [Fact]
    public void Stats_of_nothing_have_no_rates_or_medians()
    {
        var stats = FeedbackLoopStats.From([], [], [], Monday, 30);

        Assert.Equal((null, null, null, null, null), (stats.ResponseRate, stats.LoopsClosedShare, stats.MedianTimeToAcknowledge, stats.MedianTimeToClose,
            stats.AverageRating));
    }

    private static RespondToFeedback Respond(DateTimeOffset? sentAt) =>
        new(Id, "We're on it", Channel.Email, sentAt, [Alice], Brm, Monday.AddDays(2));

    private static RequestFeedback RequestFeedback(IReadOnlyList<Guid> audience) =>
        new(RequestId, Finance, audience, Channel.Email, FeedbackSubject.Periodic(Cadence.Monthly), null, null, FeedbackScale.Rating, null, Brm, Monday);

    private static FeedbackItem Fold(params object[] events) => events.Aggregate((FeedbackItem?)null, FeedbackItem.Fold)!;
}
