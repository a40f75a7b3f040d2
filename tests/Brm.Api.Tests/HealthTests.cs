using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;

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

        var signals = health.Signals.ToDictionary(s => s.Name);
        Assert.Equal(1.0, signals["contact_recency"].Score);
        Assert.Equal("10 days", signals["contact_recency"].Value);
        Assert.Equal(2.0 / 3, signals["coverage"].Score, 6);
        Assert.Equal("executive 0/1, manager 1/1, staff 1/1", signals["coverage"].Value);
        Assert.Equal(0.0, signals["commitments_on_time"].Score);
        Assert.Equal(1.0, signals["commitments_overdue"].Score);
        Assert.Equal(0.75, signals["maturity_gap"].Score);
        Assert.Contains("1 level(s) lower than IT", signals["maturity_gap"].Explanation, StringComparison.Ordinal);
        Assert.Equal(100, health.Signals.Sum(s => s.Weight));
        Assert.Equal(68, health.Score);
        Assert.Equal(63, health.Score30DaysAgo);
        Assert.Equal(0, health.Score90DaysAgo);
        Assert.All(health.Signals, s => Assert.False(string.IsNullOrWhiteSpace(s.Explanation)));
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
        Assert.Equal((0, 68), (first.Rows[0].Health, first.Rows[1].Health));
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

    /// <summary>
    /// Finance: three stakeholders from 100 days ago; a chat with the manager 40 days ago and with the staff
    /// member 10 days ago; a commitment made 20 days ago, due 15 days ago, delivered 12 days ago (late); one
    /// open, due in 5 days; maturity assessed now: business 2, IT 3.
    /// </summary>
    private async Task<Department> ScriptedFinanceAsync(string manager)
    {
        api.Clock.Set(Now.AddDays(-100));
        var finance = await api.DepartmentAsync(
            "Finance", [("Alice", StakeholderLevel.Executive), ("Bob", StakeholderLevel.Manager), ("Carol", StakeholderLevel.Staff)], manager);
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
