using Brm.Domain.CommunicationPlans;

namespace Brm.Domain.Tests;

/// <summary>Cadence periods, their outcomes and what an item owes: pure functions of dates.</summary>
public sealed class ScheduleSpecs
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    private static List<DateOnly> Starts(Cadence cadence, DateOnly anchor, int count) =>
        [.. Enumerable.Range(0, count).Select(k => Schedule.PeriodStart(cadence, anchor, k))];

    [Fact]
    public void Monthly_from_the_31st_rolls_to_the_last_day_of_short_months_and_back() =>
        Assert.Equal([D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30), D(2028, 5, 31)], Starts(Cadence.Monthly, D(2028, 1, 31), 5));

    [Fact]
    public void Monthly_from_the_31st_in_a_common_year_falls_on_28_february() =>
        Assert.Equal(D(2027, 2, 28), Schedule.PeriodStart(Cadence.Monthly, D(2027, 1, 31), 1));

    [Fact]
    public void Quarterly_from_29_february_keeps_the_29th_where_it_exists() =>
        Assert.Equal([D(2028, 2, 29), D(2028, 5, 29), D(2028, 8, 29), D(2028, 11, 29), D(2029, 2, 28), D(2029, 5, 29)],
            Starts(Cadence.Quarterly, D(2028, 2, 29), 6));

    [Fact]
    public void Weekly_and_fortnightly_cross_month_and_year_ends_by_days() =>
        Assert.Equal((D(2027, 1, 5), D(2027, 1, 12)),
            (Schedule.PeriodStart(Cadence.Weekly, D(2026, 12, 29), 1), Schedule.PeriodStart(Cadence.Fortnightly, D(2026, 12, 29), 1)));

    [Fact]
    public void A_period_is_due_on_the_day_before_the_next_starts()
    {
        var (start, due, lateUntil) = Schedule.Periods([new CadenceSpan(Cadence.Monthly, D(2028, 1, 31))], null, D(2028, 2, 1)).Last();

        Assert.Equal((D(2028, 1, 31), D(2028, 2, 28), D(2028, 3, 30)), (start, due, lateUntil));
    }

    [Fact]
    public void Planned_load_counts_communications_per_month() =>
        Assert.Equal(4.333 + 2.167 + 1 + 0.333, new[] { Cadence.Weekly, Cadence.Fortnightly, Cadence.Monthly, Cadence.Quarterly }.Sum(Schedule.PerMonth), 2);

    [Fact]
    public void A_quarter_of_monthly_updates_one_on_time_one_late_one_missed()
    {
        // September's update goes out on 3 October, past its grace: it settles September (late), and October has none.
        var assessment = Schedule.Assess(
            [new CadenceSpan(Cadence.Monthly, D(2026, 8, 1))], null, [At(D(2026, 8, 20)), At(D(2026, 10, 5))], D(2026, 11, 4));

        Assert.Equal(
            [PeriodOutcome.OnTime, PeriodOutcome.Late, PeriodOutcome.Missed, PeriodOutcome.Pending],
            assessment.Periods.Select(p => p.Outcome));
        Assert.Equal(new Adherence(1, 1, 1), assessment.Adherence);
        Assert.Equal(D(2026, 10, 31), assessment.NextDueOn);
    }

    [Fact]
    public void A_communication_within_the_grace_is_on_time_for_the_period_before()
    {
        var assessment = Schedule.Assess(
            [new CadenceSpan(Cadence.Monthly, D(2026, 8, 1))], null, [At(D(2026, 9, 2))], D(2026, 9, 10));

        Assert.Equal([PeriodOutcome.OnTime, PeriodOutcome.Pending], assessment.Periods.Select(p => p.Outcome));
        Assert.Equal(D(2026, 9, 30), assessment.NextDueOn);
    }

    [Fact]
    public void A_period_in_its_grace_is_pending_and_owed_then_missed()
    {
        var spans = new[] { new CadenceSpan(Cadence.Weekly, D(2026, 11, 2)) };

        var inGrace = Schedule.Assess(spans, null, [], D(2026, 11, 10));
        var after = Schedule.Assess(spans, null, [], D(2026, 11, 11));

        Assert.Equal((PeriodOutcome.Pending, D(2026, 11, 8)), (inGrace.Periods[0].Outcome, inGrace.NextDueOn!.Value));
        Assert.Equal((PeriodOutcome.Missed, D(2026, 11, 8)), (after.Periods[0].Outcome, after.NextDueOn!.Value));
    }

    [Fact]
    public void A_period_missed_beyond_the_next_period_is_no_longer_owed()
    {
        var assessment = Schedule.Assess([new CadenceSpan(Cadence.Weekly, D(2026, 11, 2))], null, [], D(2026, 11, 18));

        Assert.Equal([PeriodOutcome.Missed, PeriodOutcome.Missed, PeriodOutcome.Pending], assessment.Periods.Select(p => p.Outcome));
        Assert.Equal(D(2026, 11, 15), assessment.NextDueOn);
    }

    [Fact]
    public void Two_communications_in_one_period_settle_only_that_period()
    {
        var assessment = Schedule.Assess(
            [new CadenceSpan(Cadence.Weekly, D(2026, 11, 2))], null, [At(D(2026, 11, 3)), At(D(2026, 11, 4))], D(2026, 11, 20));

        Assert.Equal([PeriodOutcome.OnTime, PeriodOutcome.Missed, PeriodOutcome.Pending], assessment.Periods.Select(p => p.Outcome));
    }

    [Fact]
    public void A_retired_item_stops_falling_due_and_its_cut_period_is_not_assessed()
    {
        var assessment = Schedule.Assess([new CadenceSpan(Cadence.Monthly, D(2026, 8, 1))], D(2026, 9, 15), [], D(2026, 12, 1));

        Assert.Equal([PeriodOutcome.Missed], assessment.Periods.Select(p => p.Outcome));
        Assert.Null(assessment.NextDueOn);
    }

    [Fact]
    public void A_new_cadence_runs_from_its_day_and_the_old_periods_keep_their_outcome()
    {
        var spans = new[] { new CadenceSpan(Cadence.Monthly, D(2026, 8, 1)), new CadenceSpan(Cadence.Weekly, D(2026, 9, 10)) };

        var assessment = Schedule.Assess(spans, null, [At(D(2026, 8, 10)), At(D(2026, 9, 12))], D(2026, 9, 18));

        Assert.Equal(
            [(D(2026, 8, 1), PeriodOutcome.OnTime), (D(2026, 9, 10), PeriodOutcome.OnTime), (D(2026, 9, 17), PeriodOutcome.Pending)],
            assessment.Periods.Select(p => (p.Start, p.Outcome)));
    }

    [Fact]
    public void An_item_not_started_yet_is_due_at_the_end_of_its_first_period()
    {
        var assessment = Schedule.Assess([new CadenceSpan(Cadence.Monthly, D(2026, 12, 1))], null, [], D(2026, 11, 2));

        Assert.Empty(assessment.Periods);
        Assert.Equal(D(2026, 12, 31), assessment.NextDueOn);
    }
    /// <summary>
    /// What is due, found from an item's last settled period alone (what the agenda reads), is the day the full
    /// assessment of every communication gives, for any schedule (cadence changes included), any communications up to
    /// today (late ones, extra ones, ones a period later, before the item starts) and any day: 20,000 cases drawn
    /// with a fixed seed.
    /// </summary>
    [Fact]
    public void What_is_due_from_the_last_settled_period_is_what_every_communication_gives()
    {
        var random = new Random(20261207);
        var cadences = Enum.GetValues<Cadence>();
        for (var n = 0; n < 20_000; n++)
        {
            var startsOn = D(2025, 1, 1).AddDays(random.Next(400));
            List<CadenceSpan> spans = [new(cadences[random.Next(cadences.Length)], startsOn)];
            for (var k = random.Next(3); k > 0; k--)
            {
                spans.Add(new CadenceSpan(cadences[random.Next(cadences.Length)], spans[^1].From.AddDays(1 + random.Next(150))));
            }

            var today = startsOn.AddDays(random.Next(-10, 500));
            var deliveries = Enumerable.Range(0, random.Next(30))
                .Select(_ => At(startsOn.AddDays(random.Next(-30, today.DayNumber - startsOn.DayNumber + 1))).AddHours(random.Next(-10, 13)))
                .Where(at => DateOnly.FromDateTime(at.UtcDateTime) <= today)
                .ToList();
            DateOnly? retiredOn = random.Next(8) == 0 ? today.AddDays(-random.Next(60)) : null;

            var expected = Schedule.Assess(spans, retiredOn, deliveries, today).NextDueOn;
            var found = Schedule.NextDueOn(spans, retiredOn, Schedule.LastSettledPeriod(spans, retiredOn, deliveries), today);

            Assert.True(expected == found, $"case {n}: spans {string.Join(", ", spans)}, retired {retiredOn}, today {today}, "
                + $"deliveries {string.Join(", ", deliveries.Order().Select(d => d.ToString("yyyy-MM-dd HH:mm")))}: assessed {expected}, found {found}");
        }
    }

    [Fact]
    public void A_monthly_item_sent_late_every_month_owes_the_period_its_last_communication_did_not_settle()
    {
        List<CadenceSpan> spans = [new(Cadence.Monthly, D(2027, 1, 1))];
        // Each communication goes out in the first week of the next month: each settles the month before, late.
        List<DateTimeOffset> sent = [At(D(2027, 2, 5)), At(D(2027, 3, 5)), At(D(2027, 4, 5))];

        Assert.Equal(D(2027, 3, 1), Schedule.LastSettledPeriod(spans, null, sent));
        Assert.Equal(D(2027, 4, 30), Schedule.NextDueOn(spans, null, D(2027, 3, 1), D(2027, 4, 10)));
        Assert.Equal(Schedule.Assess(spans, null, sent, D(2027, 4, 10)).NextDueOn, Schedule.NextDueOn(spans, null, D(2027, 3, 1), D(2027, 4, 10)));
    }
}
