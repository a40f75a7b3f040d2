using Brm.Api.Tests.Support;
using Brm.V1;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>The loop statistics over a mixed history, with the clock under control, checked against figures worked out by hand.</summary>
public sealed class FeedbackStatsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static DateTimeOffset Oct(int day, int hour) => new(2026, 10, day, hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Nov(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stats_over_all_time_and_over_a_period_match_the_hand_computed_figures()
    {
        var feedback = api.Feedback;
        api.Clock.Set(Oct(1, 8));
        var finance = await api.DepartmentAsync("Finance", [("A", StakeholderLevel.Staff), ("B", StakeholderLevel.Staff),
            ("C", StakeholderLevel.Staff), ("D", StakeholderLevel.Manager)]);
        var hr = await api.DepartmentAsync("HR", [("H", StakeholderLevel.Staff)]);
        async Task<T> At<T>(DateTimeOffset when, Func<Task<T>> step)
        {
            api.Clock.Set(when);
            return await step();
        }

        // October: a request to four people; A answers (acknowledged in 2 h, closed in 24 h); an anonymous answer
        // (acknowledged in 6 h, declined, nobody told); B writes unprompted and nobody acknowledges it.
        var october = (await At(Oct(1, 9), () => feedback.RequestFeedbackAsync(Ask(finance, "A", "B", "C", "D")).ResponseAsync)).FeedbackRequest;
        var first = await At(Oct(1, 10), () => feedback.SubmitAsync(Give(finance, "A", "Fine", rating: 4, answering: october.Id)));
        await At(Oct(1, 12), () => feedback.AcknowledgeAsync(first));
        await At(Oct(2, 10), () => feedback.RespondAsync(first, "Thank you"));
        var anonymous = await At(Oct(3, 9), () => feedback.SubmitAsync(Give(finance, null, "Too many passwords", rating: 2, answering: october.Id)));
        await At(Oct(3, 15), () => feedback.AcknowledgeAsync(anonymous));
        await At(Oct(4, 9), () => feedback.DeclineAsync(anonymous, "Single sign-on is not possible before the ERP migration ends"));
        await At(Oct(20, 9), () => feedback.SubmitAsync(Give(finance, "B", "Printer on floor 2 jams", rating: 3)));
        // November: a request to two; A answers (acknowledged in 10 h, actioned, closed in 36 h) and also answers
        // October's request late, without a rating. HR gets one item, which only "all" counts.
        var november = (await At(Nov(2, 9), () => feedback.RequestFeedbackAsync(Ask(finance, "A", "B")).ResponseAsync)).FeedbackRequest;
        var fourth = await At(Nov(2, 10), () => feedback.SubmitAsync(Give(finance, "A", "Great service", rating: 5, answering: november.Id)));
        await At(Nov(2, 11), () => feedback.SubmitAsync(Give(finance, "A", "Forgot to say: fine", answering: october.Id)));
        await At(Nov(2, 20), () => feedback.AcknowledgeAsync(fourth));
        await At(Nov(3, 22), () => feedback.ActionWithNewAsync(fourth, "Keep the service desk hours", new DateOnly(2026, 12, 1)));
        await At(Nov(3, 22), () => feedback.RespondAsync(fourth, "We're on it"));
        await At(Nov(4, 9), () => feedback.SubmitAsync(Give(hr, "H", "Payroll is late", rating: 1)));
        api.Clock.Set(Nov(10, 12));

        var all = (await feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest { RelationshipId = finance.Id, LoopOpenDays = 14 })).Stats;
        var inNovember = (await feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest
        {
            RelationshipId = finance.Id, PeriodStart = MeetingBuilders.At(Nov(1, 0)), PeriodEnd = MeetingBuilders.At(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
        })).Stats;
        var everyone = (await feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest())).Stats;

        Assert.Equal(MeetingBuilders.At(Nov(10, 12)), all.AsOf);
        // Responses: October A (twice, once) + one anonymous = 2 of 4; November A = 1 of 2.
        Assert.Equal((2, 6, 3, 0.5), (all.RequestsSent, all.PeopleAsked, all.Responses, all.ResponseRate));
        // Acknowledged in 2, 6 and 10 hours: the median is 6. Closed in 24 and 36 hours: 30.
        Assert.Equal((5, 3, 6.0), (all.Received, all.Acknowledged, all.MedianHoursToAcknowledge));
        Assert.Equal((2, 0.4, 30.0), (all.LoopsClosed, all.LoopsClosedShare, all.MedianHoursToClose));
        // Open: the declined anonymous one (38 days), B's (21 days) and A's late answer (8 days, under 14).
        Assert.Equal((3, 2, 14), (all.OpenLoops, all.OpenLoopsOverThreshold, all.LoopOpenDays));
        Assert.Equal((1, 0, 1), (all.Actioned, all.DeclinesTold, all.DeclinesNotTold));
        Assert.Equal((4, 3.5), (all.Rated, all.AverageRating));
        Assert.Equal([(2026, 10, 3, 3.0), (2026, 11, 1, 5.0)], all.MonthlyRatings.Select(m => (m.Year, m.Month, m.Rated, m.AverageRating)));

        Assert.Equal((1, 2, 1, 0.5), (inNovember.RequestsSent, inNovember.PeopleAsked, inNovember.Responses, inNovember.ResponseRate));
        Assert.Equal((2, 1, 10.0, 1, 0.5, 36.0), (inNovember.Received, inNovember.Acknowledged, inNovember.MedianHoursToAcknowledge,
            inNovember.LoopsClosed, inNovember.LoopsClosedShare, inNovember.MedianHoursToClose));
        Assert.Equal((1, 0, 30), (inNovember.OpenLoops, inNovember.OpenLoopsOverThreshold, inNovember.LoopOpenDays));
        Assert.Equal((0, 0), (inNovember.DeclinesTold, inNovember.DeclinesNotTold));
        Assert.Equal([(2026, 11, 1, 5.0)], inNovember.MonthlyRatings.Select(m => (m.Year, m.Month, m.Rated, m.AverageRating)));

        // HR adds one rated 1: (4 + 2 + 3 + 5 + 1) / 5.
        Assert.Equal((6, 5, 3.0), (everyone.Received, everyone.Rated, everyone.AverageRating));
    }

    [Fact]
    public async Task Stats_of_a_relationship_without_feedback_leave_rates_and_medians_unset()
    {
        api.Clock.Set(Nov(10, 12));
        var quiet = await api.DepartmentAsync("Quiet", []);

        var stats = (await api.Feedback.GetFeedbackLoopStatsAsync(new GetFeedbackLoopStatsRequest { RelationshipId = quiet.Id })).Stats;

        Assert.Equal((0, 0), (stats.RequestsSent, stats.Received));
        Assert.False(stats.HasResponseRate || stats.HasLoopsClosedShare || stats.HasMedianHoursToAcknowledge || stats.HasMedianHoursToClose
            || stats.HasAverageRating);
    }
}
