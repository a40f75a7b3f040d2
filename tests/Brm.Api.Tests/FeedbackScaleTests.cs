using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>Requests asked on the NPS and CSAT scales: the answers' ranges, and the figures in the loop statistics and the portfolio.</summary>
public sealed class FeedbackScaleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Nps_and_csat_answers_are_scored_by_their_own_rules_apart_from_the_1_to_5_average()
    {
        var manager = "brm.scales." + Guid.NewGuid().ToString("N")[..8];
        var sales = await api.DepartmentAsync("Sales", [("A", StakeholderLevel.Staff), ("B", StakeholderLevel.Staff), ("C", StakeholderLevel.Staff),
            ("D", StakeholderLevel.Staff), ("E", StakeholderLevel.Manager)], manager);
        var npsAsk = Ask(sales, "A", "B", "C", "D");
        npsAsk.Scale = FeedbackScale.Nps;
        var nps = (await api.Feedback.RequestFeedbackAsync(npsAsk)).FeedbackRequest;
        var csatAsk = Ask(sales, "A", "E");
        csatAsk.Scale = FeedbackScale.Csat;
        var csat = (await api.Feedback.RequestFeedbackAsync(csatAsk)).FeedbackRequest;
        Assert.Equal((FeedbackScale.Nps, FeedbackScale.Csat), (nps.Scale, csat.Scale));

        // NPS: 10 and 9 promote, 7 is passive, 0 detracts: (2 - 1) / 4 = 25. CSAT: 5 satisfied, 3 not: 50%.
        var promoter = await api.Feedback.SubmitAsync(Give(sales, "A", "Would recommend", rating: 10, answering: nps.Id));
        await api.Feedback.SubmitAsync(Give(sales, "B", "Good", rating: 9, answering: nps.Id));
        await api.Feedback.SubmitAsync(Give(sales, "C", "Fine", rating: 7, answering: nps.Id));
        await api.Feedback.SubmitAsync(Give(sales, "D", "Never", rating: 0, answering: nps.Id));
        await api.Feedback.SubmitAsync(Give(sales, "A", "Happy", rating: 5, answering: csat.Id));
        await api.Feedback.SubmitAsync(Give(sales, "E", "Meh", rating: 3, answering: csat.Id));
        await api.Feedback.SubmitAsync(Give(sales, "E", "Unprompted", rating: 2));
        Assert.Equal((FeedbackScale.Nps, 10), (promoter.Scale, promoter.Rating));

        var stats = (await api.Feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest { RelationshipId = sales.Id })).Stats;
        var scores = stats.Scores;
        Assert.Equal((4, 2, 1, 1, 25.0), (scores.NpsAnswers, scores.Promoters, scores.Passives, scores.Detractors, scores.Nps));
        Assert.Equal((2, 1, 0.5), (scores.CsatAnswers, scores.Satisfied, scores.CsatShare));
        Assert.Equal((1, 2.0), (stats.Rated, stats.AverageRating)); // the 1-5 rating only
        var month = Assert.Single(stats.MonthlyScores);
        Assert.Equal(25.0, month.Scores.Nps);

        var perRequest = await api.Feedback.GetRequestForFeedbackAsync(new GetRequestForFeedbackRequest { FeedbackRequestId = nps.Id });
        Assert.Equal((1.0, 25.0, 0), (perRequest.ResponseRate, perRequest.Scores.Nps, perRequest.Scores.CsatAnswers));
        var csatRequest = await api.Feedback.GetRequestForFeedbackAsync(new GetRequestForFeedbackRequest { FeedbackRequestId = csat.Id });
        Assert.Equal((1.0, 0.5), (csatRequest.ResponseRate, csatRequest.Scores.CsatShare));

        var row = Assert.Single((await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name })).Rows);
        Assert.Equal((25.0, 0.5), (row.Scores.Nps, row.Scores.CsatShare));
    }

    [Theory]
    [InlineData(FeedbackScale.Nps, -1)]
    [InlineData(FeedbackScale.Nps, 11)]
    [InlineData(FeedbackScale.Csat, 0)]
    [InlineData(FeedbackScale.Csat, 6)]
    [InlineData(FeedbackScale.Rating, 0)]
    [InlineData(FeedbackScale.Unspecified, 7)]
    public async Task A_rating_off_its_requests_scale_is_invalid_argument_and_changes_nothing(FeedbackScale scale, int rating)
    {
        var hr = await api.DepartmentAsync("HR", [("A", StakeholderLevel.Staff)]);
        var ask = Ask(hr, "A");
        ask.Scale = scale;
        var request = (await api.Feedback.RequestFeedbackAsync(ask)).FeedbackRequest;

        var failure = await FailsWith(StatusCode.InvalidArgument, api.Feedback.SubmitFeedbackAsync(Give(hr, "A", "x", rating: rating, answering: request.Id)));

        Assert.Equal(["rating"], failure.ViolatedFields());
        Assert.Empty((await api.Feedback.ListFeedbackAsync(new ListFeedbackRequest { RelationshipId = hr.Id })).Feedback);
        var lowest = scale == FeedbackScale.Nps ? 0 : 1;
        Assert.Equal(lowest, (await api.Feedback.SubmitAsync(Give(hr, "A", "x", rating: lowest, answering: request.Id))).Rating); // the scale's own edge is fine
    }

    [Fact]
    public async Task A_scale_that_is_not_one_is_invalid_argument()
    {
        var hr = await api.DepartmentAsync("HR", [("A", StakeholderLevel.Staff)]);
        var ask = Ask(hr, "A");
        ask.Scale = (FeedbackScale)42;

        Assert.Equal(["scale"], (await FailsWith(StatusCode.InvalidArgument, api.Feedback.RequestFeedbackAsync(ask))).ViolatedFields());
    }
}
