using Brm.Domain.Commitments;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.Tests;

/// <summary>Health month by month (<see cref="HealthTrend"/>, <see cref="HealthHistory"/>): pure, from the histories the documents carry.</summary>
public sealed class HealthTrendSpecs
{
    private static readonly Guid Finance = Guid.NewGuid();
    private static readonly Guid Sam = Guid.NewGuid();
    private static readonly Guid Erin = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 4, 10, 9, 0, 0, TimeSpan.Zero);
    private const string Brm = "brm.jane";

    private static DateTimeOffset On(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Finance, registered on 15 January with Sam (staff), talked to on 20 January; a commitment made on 1 February, due
    /// on the 15th, delivered late on 2 March; Erin (executive) added on 5 March and never talked to.
    /// </summary>
    private static HealthHistory Finances()
    {
        var promise = Guid.NewGuid();
        var commitment = new object[]
        {
            new CommitmentMade(promise, Finance, "Outage summary", null, "omar", new DateOnly(2026, 2, 15), CommitmentDirection.ItToBusiness,
                new CommitmentSource(SourceKind.Other, null, "corridor"), true, Brm, On(2, 1)),
            new CommitmentDelivered(promise, Finance, null, Brm, On(3, 2)),
        }.Aggregate((Commitment?)null, Commitment.Fold)!;
        return new HealthHistory(
            [
                new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, On(1, 15)),
                new StakeholderAdded(Finance, Sam, "Sam", "clerk", StakeholderLevel.Staff, null, Degree.Medium, Degree.Medium, Brm, On(1, 15)),
                new StakeholderAdded(Finance, Erin, "Erin", "CFO", StakeholderLevel.Executive, null, Degree.High, Degree.High, Brm, On(3, 5)),
            ],
            [new Contact(Sam, Guid.NewGuid(), MeetingKind.CoffeeChat, On(1, 20))],
            [commitment],
            null,
            []);
    }

    [Fact]
    public void Each_month_ends_at_its_last_microsecond_the_current_one_now_oldest_first_at_most_twelve()
    {
        var months = HealthTrend.Months(new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero), 3);

        Assert.Equal(
            [
                new MonthEnd(2025, 12, new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990)),
                new MonthEnd(2026, 1, new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990)),
                new MonthEnd(2026, 2, new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero)),
            ],
            months);
        Assert.Empty(HealthTrend.Months(Now, 0));
        Assert.Equal(HealthTrend.MaxMonths, HealthTrend.Months(Now, 13).Count);
        Assert.Equal((2025, 5), (HealthTrend.Months(Now, 12)[0].Year, HealthTrend.Months(Now, 12)[0].Month));
    }

    [Fact]
    public void Each_month_counts_what_had_happened_by_its_end_and_before_registration_there_is_no_score()
    {
        var history = Finances();
        var now = history.At(Now)!;

        var trend = HealthTrend.Of(history, now, HealthTrend.Months(Now, 5));

        // December: not registered. The two questions never asked: 0 throughout (weight 10).
        // January: Sam talked to 11 days before, recency and coverage full: (10 + 20 + 0) / 40 = 75.
        // February: 39 days, recency 51/76; the commitment open and overdue: (10·51/76 + 20 + 0 + 10·0) / 50 = 53.4.
        // March: 70 days, recency 20/76; Erin not talked to, coverage ½; delivered late, on time 0/1: (10·20/76 + 10 + 0 + 0) / 50 = 25.3.
        // April (now): 79 days, recency 11/76: (10·11/76 + 10 + 0 + 0) / 50 = 22.9.
        Assert.Equal([(2025, 12, null), (2026, 1, 75), (2026, 2, 53), (2026, 3, 25), (2026, 4, (int?)23)],
            trend.Select(p => (p.Month.Year, p.Month.Month, p.Score)));
        Assert.Equal(now.Score, trend[^1].Score);
        Assert.All(trend.SkipLast(1), p => Assert.Equal(history.At(p.Month.At)?.Score, p.Score));
    }

    [Fact]
    public void An_event_at_midnight_belongs_to_the_month_it_opens()
    {
        var history = Finances() with
        {
            RelationshipEvents = [new DepartmentRegistered(Finance, "finance", "Finance", Brm, Brm, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))],
            Contacts = [],
            Commitments = [],
        };
        var months = HealthTrend.Months(Now, 3);

        Assert.Null(history.At(months[0].At));
        Assert.NotNull(history.At(months[1].At));
    }

    [Fact]
    public void The_portfolios_month_is_the_mean_of_the_departments_that_had_a_score_then()
    {
        var months = HealthTrend.Months(Now, 3);
        IReadOnlyList<MonthlyHealth> Trend(params int?[] scores) => [.. months.Zip(scores, (m, s) => new MonthlyHealth(m, s))];

        var portfolio = HealthTrend.Portfolio(months, [Trend(null, 100, 86), Trend(null, null, 40), Trend(null, null, null)]);

        Assert.Equal([(null, 0), (100, 1), ((int?)63, 2)], portfolio.Select(p => (p.Score, p.DepartmentsScored)));
        Assert.Equal(months, portfolio.Select(p => p.Month));
    }
}
