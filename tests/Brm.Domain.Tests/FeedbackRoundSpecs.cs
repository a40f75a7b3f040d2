using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;

namespace Brm.Domain.Tests;

/// <summary>Periods of periodic requests, what a personal link may do, and who is reminded.</summary>
public sealed class FeedbackRoundSpecs
{
    private static readonly Guid Ana = Guid.NewGuid(), Ben = Guid.NewGuid();
    private static readonly DateTimeOffset Asked = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Cadence.Monthly, "2026-11-20", "2026-11-01", "2026-12-01")]
    [InlineData(Cadence.Monthly, "2026-12-31", "2026-12-01", "2027-01-01")]
    [InlineData(Cadence.Quarterly, "2026-11-20", "2026-10-01", "2027-01-01")]
    [InlineData(Cadence.Quarterly, "2026-01-01", "2026-01-01", "2026-04-01")]
    [InlineData(Cadence.Weekly, "2026-11-22", "2026-11-16", "2026-11-23")]
    [InlineData(Cadence.Fortnightly, "2026-01-18", "2026-01-05", "2026-01-19")]
    [InlineData(Cadence.Fortnightly, "2025-12-30", "2025-12-22", "2026-01-05")]
    public void A_period_starts_on_its_first_day_and_the_next_follows_it(Cadence cadence, string day, string start, string next)
    {
        var first = FeedbackPeriods.StartOf(cadence, DateOnly.Parse(day));
        Assert.Equal((DateOnly.Parse(start), DateOnly.Parse(next)), (first, FeedbackPeriods.Next(cadence, first)));
    }

    [Fact]
    public void A_series_goes_on_when_its_period_ended_and_after_a_long_stop_with_the_period_of_now()
    {
        var request = Requested(FeedbackDelivery.Email);
        Assert.Equal(new DateOnly(2026, 11, 1), request.PeriodStart);
        Assert.Null(FeedbackPeriods.NextDue(request, new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 12, 1), FeedbackPeriods.NextDue(request, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 3, 1), FeedbackPeriods.NextDue(request, new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(FeedbackPeriods.NextDue(Fold(request, new FeedbackRequestRevoked(request.Id, request.RelationshipId, null, "brm", Asked)), Asked.AddMonths(2)));
    }

    [Fact]
    public void A_link_answers_once_while_the_request_stands_and_only_for_whom_it_was_sent()
    {
        var request = Requested(FeedbackDelivery.Email);
        var answered = FeedbackDecider.Decide(new AnswerThroughLink(request.Id, Ana, Asked.AddDays(1)), request);
        Assert.Equal([new FeedbackLinkAnswered(request.Id, request.RelationshipId, Ana, FeedbackRequest.LinkActor, Asked.AddDays(1))], answered);

        var used = Fold(request, answered[0]);
        Assert.Equal(DomainError.AlreadyExists, Assert.Throws<DomainException>(() => FeedbackDecider.Decide(new AnswerThroughLink(request.Id, Ana, Asked), used)).Error);
        Assert.Equal(DomainError.RuleBroken, Assert.Throws<DomainException>(() => FeedbackDecider.Decide(new AnswerThroughLink(request.Id, Guid.NewGuid(), Asked), used)).Error);
        var revoked = Fold(used, new FeedbackRequestRevoked(request.Id, request.RelationshipId, "wrong list", "brm", Asked));
        Assert.Equal(LinkRefusal.Revoked, revoked.LinkRefusalFor(Ben));
        Assert.Empty(FeedbackDecider.Decide(new RevokeFeedbackRequest(request.Id, null, "brm", Asked), revoked));
    }

    [Fact]
    public void One_reminder_goes_after_the_wait_to_those_sent_a_link_who_have_not_answered()
    {
        var request = Fold(Requested(FeedbackDelivery.Email),
            new FeedbackInvitationSent(Guid.Empty, Guid.Empty, Ana, false, "m1", "outreach", Asked),
            new FeedbackInvitationSent(Guid.Empty, Guid.Empty, Ben, false, "m2", "outreach", Asked));
        var week = TimeSpan.FromDays(7);
        Assert.Empty(request.RemindersDue(Asked.AddDays(6), week, new HashSet<Guid>()));
        Assert.Equal([Ana, Ben], request.RemindersDue(Asked.AddDays(7), week, new HashSet<Guid>()));
        Assert.Equal([Ben], request.RemindersDue(Asked.AddDays(7), week, new HashSet<Guid> { Ana }));

        var reminded = Fold(request, new FeedbackInvitationSent(Guid.Empty, Guid.Empty, Ben, true, "m3", "outreach", Asked.AddDays(7)));
        Assert.Equal([Ana], reminded.RemindersDue(Asked.AddDays(9), week, new HashSet<Guid>()));
        Assert.Empty(Fold(reminded, new FeedbackLinkAnswered(Guid.Empty, Guid.Empty, Ana, "feedback-link", Asked.AddDays(8))).RemindersDue(Asked.AddDays(9), week, new HashSet<Guid>()));
    }

    [Fact]
    public void The_response_rate_counts_a_link_answer_once_whether_named_or_anonymous()
    {
        var request = Fold(Requested(FeedbackDelivery.Email), new FeedbackLinkAnswered(Guid.Empty, Guid.Empty, Ana, "feedback-link", Asked));
        var anonymousThroughLink = Item(null, FeedbackRequest.LinkActor, request.Id);
        Assert.Equal(1, request.Responses([anonymousThroughLink]));
        Assert.Equal(2, request.Responses([anonymousThroughLink, Item(null, "brm", request.Id)]));
        Assert.Equal(2, request.Responses([anonymousThroughLink, Item(Ben, "brm", request.Id), Item(Ana, "brm", request.Id)]));
    }

    private static FeedbackRequest Requested(FeedbackDelivery delivery)
    {
        var id = Guid.NewGuid();
        var events = FeedbackDecider.Decide(
            new RequestFeedback(id, Guid.NewGuid(), [Ana, Ben], Channel.Email, FeedbackSubject.Periodic(Cadence.Monthly), null, null, FeedbackScale.Nps, null, "brm", Asked)
            {
                Delivery = delivery,
            },
            null,
            RelationshipWith(Ana, Ben));
        return events.Aggregate((FeedbackRequest?)null, FeedbackRequest.Fold)!;
    }

    private static FeedbackRequest Fold(FeedbackRequest request, params object[] events) => events.Aggregate(request, FeedbackRequest.Fold);

    private static FeedbackItem Item(Guid? from, string recordedBy, Guid requestId) =>
        new(Guid.NewGuid(), Guid.Empty, from, Channel.WebForm, 9, null, FeedbackSubject.General, requestId, FeedbackStatus.Received, Asked, recordedBy,
            null, null, null, null, null, Asked, 1);

    private static Relationships.Relationship RelationshipWith(params Guid[] people) =>
        new object[] { new Relationships.DepartmentRegistered(Guid.NewGuid(), "fin", "Finance", "brm", "brm", Asked.AddDays(-30)) }
            .Concat(people.Select(p => (object)new Relationships.StakeholderAdded(Guid.Empty, p, "x", "t", StakeholderLevel.Staff, null, Degree.High, Degree.High, "brm", Asked.AddDays(-30))))
            .Aggregate((Relationships.Relationship?)null, Relationships.Relationship.Fold)!;
}
