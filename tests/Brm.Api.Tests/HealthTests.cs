using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using static Brm.Api.Tests.Support.PlanBuilders;

namespace Brm.Api.Tests;

/// <summary>Health and portfolio against a scripted history, checked against figures computed by hand.</summary>
public sealed class HealthTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Finances_health_explains_itself_signal_by_signal_and_how_it_was_30_and_90_days_ago()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var finance = await ScriptedFinanceAsync(manager);

        var health = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = finance.Id });

        Assert.Equal(
            [
                ("contact_recency", 10.0, "10 days"),
                ("coverage", 20, "executive 0/1, manager 1/1, staff 1/1"),
                ("two_questions", 10, "1/2, 100 days ago"),
                ("plan_adherence", 15, "1/3"),
                ("commitments_on_time", 10, "0/1"),
                ("commitments_overdue", 10, "0/1"),
                ("feedback_loops_closed", 10, "1/3"),
                ("declines_not_told", 10, "1"),
                ("maturity_gap", 5, "-1"),
            ],
            health.Signals.Select(s => (s.Name, s.Weight, s.Value)));
        var signals = health.Signals.ToDictionary(s => s.Name);
        Assert.Equal(1.0, signals["contact_recency"].Score);
        Assert.Equal(2.0 / 3, signals["coverage"].Score, 6);
        Assert.Equal(0.5, signals["two_questions"].Score);
        Assert.Contains("ask how the department wants to hear from IT", signals["two_questions"].Explanation, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(-100), health.TwoQuestionsAskedAt.ToDateTimeOffset());
        Assert.Equal(1.0 / 3, signals["plan_adherence"].Score, 6);
        Assert.Contains("1 of 3 planned communications went out on time (1 late, 1 missed)", signals["plan_adherence"].Explanation, StringComparison.Ordinal);
        Assert.Equal(0.0, signals["commitments_on_time"].Score);
        Assert.Equal(1.0, signals["commitments_overdue"].Score);
        Assert.Equal(1.0 / 3, signals["feedback_loops_closed"].Score, 6);
        Assert.Equal(0.5, signals["declines_not_told"].Score);
        Assert.StartsWith("1 declined piece(s) of feedback the business has not been told about", signals["declines_not_told"].Explanation, StringComparison.Ordinal);
        Assert.Equal(0.75, signals["maturity_gap"].Score);
        Assert.Contains("1 level(s) lower than IT", signals["maturity_gap"].Explanation, StringComparison.Ordinal);
        Assert.All(health.Signals, s => Assert.False(string.IsNullOrWhiteSpace(s.Explanation)));

        // (10·1 + 20·2/3 + 10·1/2 + 15·1/3 + 10·0 + 10·1 + 10·1/3 + 10·1/2 + 5·3/4) / 100 = 55.42.
        Assert.Equal(55, health.Score);
        // 30 days ago: Bob talked to 10 days before, coverage 1/3, the need on record (asked 70 days before), the
        // plan 1 on time and 1 missed, the parking decline not yet told (loops 0/1, declines 1/2); no commitment
        // made, maturity not assessed: (10·1 + 20·1/3 + 10·1/2 + 15·1/2 + 10·0 + 10·1/2) / 75 = 45.56.
        Assert.Equal(46, health.Score30DaysAgo);
        // 90 days ago: nobody talked to (recency 0, coverage 0), the need on record, nothing else with data:
        // (10·1/2) / 40 = 12.5, rounded half to even.
        Assert.Equal(12, health.Score90DaysAgo);
        // Read from documents kept in the events' transaction: never stale, whatever the async daemon has reached.
        Assert.Equal(await api.LastPositionAsync(), health.Freshness.Position);
    }

    [Fact]
    public async Task Each_untold_decline_lowers_health_and_telling_the_business_raises_it_again()
    {
        api.Clock.Set(Now);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)], "brm." + Guid.NewGuid().ToString("N")[..8]);
        var scores = new List<(int? Score, double? Declines)>();
        async Task Measure()
        {
            var health = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = hr.Id });
            scores.Add((health.Score, health.Signals.Single(s => s.Name == "declines_not_told").Score));
        }

        var declined = new List<V1.Feedback>();
        for (var i = 0; i < 3; i++)
        {
            var feedback = await api.Feedback.SubmitAsync(Give(hr, "Hana", $"Wish number {i + 1}: a standing desk for everyone"));
            await api.Feedback.AcknowledgeAsync(feedback);
            declined.Add(await api.Feedback.DeclineAsync(feedback));
            await Measure();
        }

        await api.Feedback.RespondAsync(declined[0], "We cannot: there is no budget for standing desks this year", hr["Hana"]);
        await Measure();

        // Recency 0, coverage 0 and the two questions never asked (weights 10, 20 and 10), loops closed 0 then 1/3,
        // declines 1/2, 1/3, 1/4, then 1/3: 100·(10·½)/60 = 8.33; 100·(10·⅓)/60 = 5.56; 100·(10·¼)/60 = 4.17;
        // 100·(10·⅓ + 10·⅓)/60 = 11.11.
        Assert.Equal([(8, 1.0 / 2), (6, 1.0 / 3), (4, 1.0 / 4), (11, 1.0 / 3)], scores.Select(s => (s.Score!.Value, s.Declines!.Value)));
    }

    [Fact]
    public async Task The_portfolio_lists_a_managers_relationships_worst_health_first_page_by_page()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var finance = await ScriptedFinanceAsync(manager);
        api.Clock.Set(Now);
        var hr = await api.DepartmentAsync("HR", [("Hana", StakeholderLevel.Staff)], manager);
        var quiet = await api.DepartmentAsync("Quiet Dept", [], manager);

        var first = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Health, PageSize = 2 });
        var second = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest
        {
            Manager = manager, Sort = PortfolioSort.Health, PageSize = 2, PageToken = first.NextPageToken,
        });
        var byName = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name });

        Assert.Equal([hr.Id, finance.Id], first.Rows.Select(r => r.RelationshipId));
        Assert.Equal((0, 55), (first.Rows[0].Health, first.Rows[1].Health));
        Assert.Equal((1, 1.0 / 3, 1.0 / 3), (first.Rows[1].DeclinesNotTold, first.Rows[1].PlanAdherence, first.Rows[1].LoopsClosedShare));
        Assert.Equal((0, false, false), (first.Rows[0].DeclinesNotTold, first.Rows[0].HasPlanAdherence, first.Rows[0].HasLoopsClosedShare));
        Assert.Equal(await api.LastPositionAsync(), first.Freshness.Position);
        Assert.Equal([quiet.Id], second.Rows.Select(r => r.RelationshipId));
        Assert.False(second.Rows[0].HasHealth);
        Assert.Equal("", second.NextPageToken);
        Assert.Equal(["Finance", "HR", "Quiet Dept"], byName.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task Health_of_an_unknown_relationship_is_not_found_and_the_portfolio_needs_a_sort()
    {
        await FailsWith(StatusCode.NotFound, api.Reporting.GetRelationshipHealthAsync(
            new GetRelationshipHealthRequest { RelationshipId = Guid.NewGuid().ToString() }));
        var failure = await FailsWith(StatusCode.InvalidArgument, api.Reporting.GetPortfolioAsync(new GetPortfolioRequest()));

        Assert.Equal(["sort"], failure.ViolatedFields());
    }

    [Fact]
    public async Task The_portfolio_trend_is_each_months_health_as_it_stood_at_its_end_and_the_portfolios_is_their_mean()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        DateTimeOffset[] ends = [MonthEnd(2026, 8), MonthEnd(2026, 9), MonthEnd(2026, 10)];
        var measured = new Dictionary<string, List<int?>>();
        async Task Measure(params Department[] departments)
        {
            foreach (var department in departments)
            {
                var health = await api.Reporting.GetRelationshipHealthAsync(new GetRelationshipHealthRequest { RelationshipId = department.Id });
                (measured.TryGetValue(department.Id, out var scores) ? scores : measured[department.Id] = []).Add(health.HasScore ? health.Score : null);
            }
        }

        // Each month's health measured live at its end, before anything later happens: the trend must replay the same.
        api.Clock.Set(new DateTimeOffset(2026, 7, 20, 9, 0, 0, TimeSpan.Zero));
        var payroll = await api.DepartmentAsync("Payroll", [("Pia", StakeholderLevel.Staff)], manager);
        api.Clock.Set(new DateTimeOffset(2026, 8, 10, 10, 0, 0, TimeSpan.Zero));
        await api.Meetings.LogConversationAsync(Conversation(payroll, api.Clock.GetUtcNow(), "Pia"));
        api.Clock.Set(ends[0]);
        await Measure(payroll);
        api.Clock.Set(new DateTimeOffset(2026, 9, 15, 9, 0, 0, TimeSpan.Zero));
        var legal = await api.DepartmentAsync("Legal", [("Leo", StakeholderLevel.Manager)], manager);
        api.Clock.Set(new DateTimeOffset(2026, 9, 20, 9, 0, 0, TimeSpan.Zero));
        var wish = await api.Feedback.SubmitAsync(Give(legal, "Leo", "A shared drive for contracts, please"));
        api.Clock.Set(new DateTimeOffset(2026, 9, 25, 9, 0, 0, TimeSpan.Zero));
        await api.Feedback.AcknowledgeAsync(wish);
        var declined = await api.Feedback.DeclineAsync(wish);
        api.Clock.Set(ends[1]);
        await Measure(payroll, legal);
        api.Clock.Set(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));
        await api.Relationships.AddStakeholderAsync(Stakeholder(payroll.Relationship, "Erin", StakeholderLevel.Executive));
        await api.Commitments.MakeCommitmentAsync(Commitment(payroll.Relationship, "Payslips on the intranet", new DateOnly(2026, 10, 20)));
        api.Clock.Set(new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.Zero));
        await api.Feedback.RespondAsync(declined, "No budget for a second drive this year: contracts go in the records system", legal["Leo"]);
        api.Clock.Set(ends[2]);
        await Measure(payroll, legal);
        api.Clock.Set(Now);
        await Measure(payroll, legal);

        var portfolio = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name, TrendMonths = 4 });
        var plain = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name });

        Assert.Equal(["Legal", "Payroll"], portfolio.Rows.Select(r => r.Name));
        var (legalRow, payrollRow) = (portfolio.Rows[0], portfolio.Rows[1]);
        Assert.Equal(measured[payroll.Id], payrollRow.Trend.Select(p => p.HasScore ? p.Score : (int?)null));
        Assert.Equal([null, .. measured[legal.Id]], legalRow.Trend.Select(p => p.HasScore ? p.Score : (int?)null));
        // Payroll: Pia talked to 21, 51, 82, 84 days before; Erin never; the commitment overdue from 21 October.
        // Legal: nobody talked to; the decline untold in September, told in October. Neither was asked the two questions.
        Assert.Equal([73, 63, 22, 22], measured[payroll.Id]);
        Assert.Equal([8, 33, 33], measured[legal.Id]);
        Assert.Equal(payrollRow.Health, payrollRow.Trend[^1].Score);
        Assert.All(portfolio.Rows, r => Assert.Equal(
            [(2026, 8, ends[0]), (2026, 9, ends[1]), (2026, 10, ends[2]), (2026, 11, Now)],
            r.Trend.Select(p => (p.Year, p.Month, p.AsOf.ToDateTimeOffset()))));
        Assert.Equal([(73, 1), (36, 2), (28, 2), (28, 2)], portfolio.Trend.Select(p => (p.Score, p.DepartmentsScored)));
        Assert.Equal([(2026, 8), (2026, 9), (2026, 10), (2026, 11)], portfolio.Trend.Select(p => (p.Year, p.Month)));
        Assert.All(plain.Rows, r => Assert.Empty(r.Trend));
        Assert.Empty(plain.Trend);
    }

    [Fact]
    public async Task The_portfolio_sorts_by_any_signal_worst_first_with_no_data_last_and_by_manager_page_by_page()
    {
        var tag = "t" + Guid.NewGuid().ToString("N")[..10];
        api.Clock.Set(Now.AddDays(-100));
        var atlas = await api.DepartmentAsync("Atlas", [("Ann", StakeholderLevel.Executive), ("Abe", StakeholderLevel.Staff)], "brm.zed");
        var beacon = await api.DepartmentAsync("Beacon", [("Bea", StakeholderLevel.Staff)], "brm.amy");
        var cedar = await api.DepartmentAsync("Cedar", []);
        api.Clock.Set(Now);
        await api.Meetings.LogConversationAsync(Conversation(atlas, Now.AddDays(-2), "Ann"));
        await api.Meetings.LogConversationAsync(Conversation(beacon, Now.AddDays(-60), "Bea"));
        foreach (var department in new[] { atlas, beacon, cedar })
        {
            await api.Tags.AddTagsAsync(new AddTagsRequest { Target = new TagTarget { RelationshipId = department.Id }, Tags = { tag } });
        }

        async Task<List<string>> Order(PortfolioSort sort)
        {
            var names = new List<string>();
            var token = "";
            do
            {
                var page = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Sort = sort, Tags = { tag }, PageSize = 1, PageToken = token });
                names.AddRange(page.Rows.Select(r => r.Name));
                token = page.NextPageToken;
            }
            while (token.Length > 0);
            return names;
        }

        // Atlas: talked to 2 days ago (recency 1), half its levels covered; Beacon: 60 days ago (recency 30/76), all covered;
        // Cedar: no stakeholders, so neither signal has data. Health (the two questions never asked, 0): Atlas (10 + 10 + 0)/40 = 50,
        // Beacon (10·30/76 + 20 + 0)/40 = 60.
        Assert.Equal(["Beacon", "Atlas", "Cedar"], await Order(PortfolioSort.ContactRecency));
        Assert.Equal(["Atlas", "Beacon", "Cedar"], await Order(PortfolioSort.Coverage));
        Assert.Equal(["Atlas", "Beacon", "Cedar"], await Order(PortfolioSort.Health));
        Assert.Equal(["Beacon", "Atlas", "Cedar"], await Order(PortfolioSort.Manager));
        Assert.Equal(["Atlas", "Beacon", "Cedar"], await Order(PortfolioSort.MaturityGap));
        foreach (var months in new[] { -1, Brm.Domain.Reporting.HealthTrend.MaxMonths + 1 })
        {
            var failure = await FailsWith(StatusCode.InvalidArgument, api.Reporting.GetPortfolioAsync(new GetPortfolioRequest
            {
                Sort = PortfolioSort.Health, Tags = { tag }, TrendMonths = months,
            }));
            Assert.Equal(["trend_months"], failure.ViolatedFields());
        }
    }

    /// <summary>The last microsecond of a month (UTC): where a trend's point for it stands.</summary>
    private static DateTimeOffset MonthEnd(int year, int month) =>
        new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddTicks(-TimeSpan.TicksPerMicrosecond);

    /// <summary>
    /// Finance: three stakeholders and one information need from 100 days ago (25 July), no communication
    /// preference (half the two questions); a chat with the manager 40 days ago and with the
    /// staff member 10 days ago; a commitment made 20 days ago, due 15 days ago, delivered 12 days ago (late); one
    /// open, due in 5 days; maturity assessed now: business 2, IT 3. A monthly update from 28 July: August's out
    /// on 20 August (on time), September's on 5 October (late), October's never (missed). Feedback: Bob's, given
    /// 40 days ago, declined 38 days ago and told 20 days ago; Carol's, given 15 days ago, declined 14 days ago and
    /// not told; an anonymous one 5 days ago, not yet acknowledged.
    /// </summary>
    private async Task<Department> ScriptedFinanceAsync(string manager)
    {
        api.Clock.Set(Now.AddDays(-100));
        var finance = await api.DepartmentAsync(
            "Finance", [("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Manager), ("Carol", StakeholderLevel.Staff)], manager);
        await api.Relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "Month-end close: planned outages", Priority = Priority.High,
        });
        var update = await api.Plans.AddPlanItemAsync(Item(finance.Id, "IT update", Cadence.Monthly, Channel.Email, new DateOnly(2026, 7, 28)));
        api.Clock.Set(Now.AddDays(-40));
        var parking = await api.Feedback.SubmitAsync(Give(finance, "Bob", "Reserve parking for Finance at month end"));
        api.Clock.Set(Now.AddDays(-38));
        await api.Feedback.AcknowledgeAsync(parking);
        await api.Feedback.DeclineAsync(parking, "Parking is managed by Facilities, not by IT, and we cannot reserve spaces");
        api.Clock.Set(Now.AddDays(-20));
        await api.Feedback.RespondAsync(parking, "Facilities manage parking: we passed your request on to them", finance["Bob"]);
        api.Clock.Set(Now.AddDays(-15));
        var laptops = await api.Feedback.SubmitAsync(Give(finance, "Carol", "A second laptop for everyone, please"));
        api.Clock.Set(Now.AddDays(-14));
        await api.Feedback.AcknowledgeAsync(laptops);
        await api.Feedback.DeclineAsync(laptops);
        api.Clock.Set(Now.AddDays(-5));
        await api.Feedback.SubmitAsync(Give(finance, null, "The VPN drops every morning", rating: 2));
        api.Clock.Set(Now);
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, On(2026, 8, 20), "August IT update"));
        await api.Plans.RecordCommunicationAsync(Sent(finance.Id, update.PlanItemId, On(2026, 10, 5), "September IT update, late"));
        api.Clock.Set(Now);
        await api.Meetings.LogConversationAsync(Conversation(finance, Now.AddDays(-40), "Bob"));
        await api.Meetings.LogConversationAsync(Conversation(finance, Now.AddDays(-10), "Carol"));
        api.Clock.Set(Now.AddDays(-20));
        var late = await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "Late", DateOnly.FromDateTime(Now.AddDays(-15).UtcDateTime)));
        api.Clock.Set(Now.AddDays(-12));
        await api.Commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = late.Commitment.Id });
        api.Clock.Set(Now);
        await api.Commitments.MakeCommitmentAsync(Commitment(finance.Relationship, "Open", DateOnly.FromDateTime(Now.AddDays(5).UtcDateTime)));
        await api.Relationships.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.Business, Level = MaturityLevel.OrderTaker, Evidence = "survey",
        });
        await api.Relationships.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = finance.Id, Side = MaturitySide.It, Level = MaturityLevel.ServiceProvider, Evidence = "workshop",
        });
        return finance;
    }
}
