using Brm.Api.Tests.Support;
using Brm.V1;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Issue 5's "done when": Finance's monthly request, acted on, declined, and the decline nobody has told them about.</summary>
public sealed class FeedbackScenarioTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_monthly_request_two_answers_one_actioned_and_told_one_declined_and_told_and_one_decline_not_yet_told()
    {
        api.Clock.Set(Monday);
        var finance = await api.DepartmentAsync("Finance", [("Ann", StakeholderLevel.Staff), ("Ben", StakeholderLevel.Staff),
            ("Cat", StakeholderLevel.Staff), ("Dan", StakeholderLevel.Staff), ("Eve", StakeholderLevel.Staff), ("Max", StakeholderLevel.Manager)]);
        var monthly = (await api.Feedback.RequestFeedbackAsync(Ask(finance, "Ann", "Ben", "Cat", "Dan", "Eve"))).FeedbackRequest;

        api.Clock.Advance(TimeSpan.FromDays(1));
        var outages = await api.Feedback.SubmitAsync(Give(finance, "Ann", "Please give us earlier notice of outages", rating: 3, answering: monthly.Id));
        var laptops = await api.Feedback.SubmitAsync(Give(finance, "Ben", "A second laptop for everyone, please", rating: 4, answering: monthly.Id));
        var parking = await api.Feedback.SubmitAsync(Give(finance, "Max", "Reserve IT parking spaces for Finance at month end"));

        api.Clock.Advance(TimeSpan.FromHours(4));
        foreach (var item in new[] { outages, laptops, parking })
        {
            await api.Feedback.AcknowledgeAsync(item);
        }

        var actioned = await api.Feedback.ActionWithNewAsync(outages, "Announce planned outages three days ahead", new DateOnly(2026, 11, 20));
        await api.Feedback.RespondAsync(outages, "We're on it: planned outages will be announced three days ahead", finance["Ann"]);
        await api.Feedback.DeclineAsync(laptops, "There is no budget for a second laptop per person this financial year");
        await api.Feedback.RespondAsync(laptops, "We can't this year: the budget does not cover a second laptop each", finance["Ben"]);
        await api.Feedback.DeclineAsync(parking, "Parking is managed by Facilities, not by IT, and we cannot reserve spaces");

        var stats = (await api.Feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest { RelationshipId = finance.Id })).Stats;
        var notTold = await api.Feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = finance.Id, Statuses = { FeedbackStatus.Declined } });
        var outageItem = await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = outages.Id });

        Assert.Equal((2, 5), (stats.Responses, stats.PeopleAsked));
        Assert.Equal(0.4, stats.ResponseRate);
        Assert.Equal((2, 3), (stats.LoopsClosed, stats.Received));
        Assert.Equal((1, 1), (stats.DeclinesNotTold, stats.DeclinesTold));
        Assert.Equal([parking.Id], notTold.Feedback.Select(f => f.Id));
        Assert.Equal((FeedbackStatus.Responded, actioned.Commitment.Id), (outageItem.Feedback.Status, outageItem.Feedback.ActionedCommitmentId));
        Assert.Equal((CommitmentStatus.Open, outages.Id), (outageItem.Commitment.Status, outageItem.Commitment.SourceFeedbackId));
    }
}
