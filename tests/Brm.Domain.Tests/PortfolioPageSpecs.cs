using Brm.Domain.Feedback;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;

namespace Brm.Domain.Tests;

/// <summary>The portfolio's orders and pages: <see cref="PortfolioOrder"/> and <see cref="PortfolioPage.Of"/>, pure.</summary>
public sealed class PortfolioPageSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static PortfolioRow Row(string name, string? manager, int? score, double? coverage = null)
    {
        var relationship = Relationship.Fold(null, new DepartmentRegistered(Guid.NewGuid(), name.ToLowerInvariant(), name, manager, "admin", Now));
        HealthSignal[] signals = [new("coverage", coverage, 20, "", "")];
        return new PortfolioRow(relationship, new HealthReport(score, signals, new HealthHeadlines(0, null, null, null)), new ScaleScores(0, 0, 0, 0, 0, 0));
    }

    private static readonly IReadOnlyList<PortfolioRow> Rows =
    [
        Row("Legal", "brm.zoe", 80, 0.5), Row("finance", null, null), Row("HR", "brm.amy", 40, 0.9), Row("Ops", null, 40, 0.1),
    ];

    private static List<string> Names(PortfolioPage page) => [.. page.Rows.Select(r => r.Relationship.Name)];

    [Fact]
    public void By_health_worst_first_no_score_last_ties_by_name() =>
        Assert.Equal(["HR", "Ops", "Legal", "finance"], Names(PortfolioPage.Of(Rows, new PortfolioOrder.ByHealth(), null, 10, [])));

    [Fact]
    public void By_name_ignores_case() =>
        Assert.Equal(["finance", "HR", "Legal", "Ops"], Names(PortfolioPage.Of(Rows, new PortfolioOrder.ByName(), null, 10, [])));

    [Fact]
    public void By_manager_none_last_then_by_name() =>
        Assert.Equal(["HR", "Legal", "finance", "Ops"], Names(PortfolioPage.Of(Rows, new PortfolioOrder.ByManager(), null, 10, [])));

    [Fact]
    public void By_signal_worst_score_first_no_data_last() =>
        Assert.Equal(["Ops", "Legal", "HR", "finance"], Names(PortfolioPage.Of(Rows, new PortfolioOrder.BySignal("coverage"), null, 10, [])));

    [Fact]
    public void Pages_follow_each_other_from_the_cursor_and_the_last_has_none()
    {
        var order = new PortfolioOrder.ByName();
        var first = PortfolioPage.Of(Rows, order, null, 3, []);
        var second = PortfolioPage.Of(Rows, order, first.Next, 3, []);

        Assert.Equal(["finance", "HR", "Legal"], Names(first));
        Assert.Equal(new PortfolioCursor("legal", first.Rows[^1].Relationship.Id), first.Next);
        Assert.Equal(["Ops"], Names(second));
        Assert.Null(second.Next);
    }
}
