using System.Globalization;
using System.Text.Json;

namespace Brm.Cli.Tests;

/// <summary>brm portfolio --trend: health month by month against the real service, over a history recorded in past months.</summary>
public sealed class PortfolioCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsync(args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    /// <summary>Sets the service's clock to the 10th, noon (UTC), of the month <paramref name="monthsBack"/> before the current one.</summary>
    private void InMonth(int monthsBack)
    {
        var now = DateTimeOffset.UtcNow;
        var day = new DateTimeOffset(now.Year, now.Month, 10, 12, 0, 0, TimeSpan.Zero).AddMonths(-monthsBack);
        cli.Clock.Shift = day - now;
    }

    private static List<int?> Scores(JsonElement trend) =>
        [.. trend.EnumerateArray().Select(p => p.TryGetProperty("score", out var s) ? s.GetInt32() : (int?)null)];

    /// <summary>The line `brm portfolio --trend` prints for one department or the portfolio: a bar per month on the 0-100 scale, then the scores.</summary>
    private static string Line(string label, IReadOnlyList<int?> scores) =>
        $"  {label.PadRight("portfolio mean".Length)}  "
        + string.Concat(scores.Select(s => s is { } v ? "▁▂▃▄▅▆▇█"[v * 8 / 101] : '·'))
        + " " + string.Concat(scores.Select(s => $" {s?.ToString(CultureInfo.InvariantCulture) ?? "·",3}"));

    [Fact]
    public async Task Portfolio_trend_shows_each_departments_health_month_by_month_oldest_first_and_the_portfolios_mean()
    {
        // Payroll from two months back, Pia talked to then; Legal from last month, Leo never talked to.
        InMonth(2);
        await Ok("dept", "add", "payroll", "Payroll", "--manager", "tess");
        await Ok("stakeholder", "add", "payroll", "Pia Lund", "--title", "Payroll clerk", "--level", "staff");
        await Ok("meeting", "log", "payroll", "--kind", "coffee-chat", "--topic", "Payslips", "--with", "Pia Lund");
        InMonth(1);
        await Ok("dept", "add", "legal", "Legal", "--manager", "tess");
        await Ok("stakeholder", "add", "legal", "Leo Marsh", "--title", "Counsel", "--level", "manager");
        cli.Clock.Shift = TimeSpan.Zero;

        var json = (await Ok("portfolio", "--manager", "tess", "--by-name", "--trend", "3", "--json")).Json;
        var text = (await Ok("portfolio", "--manager", "tess", "--by-name", "--trend", "3")).Out;
        var plain = (await Ok("portfolio", "--manager", "tess")).Out;

        var rows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["legal", "payroll"], rows.Select(r => r.GetProperty("code").GetString()));
        var (legal, payroll) = (Scores(rows[0].GetProperty("trend")), Scores(rows[1].GetProperty("trend")));
        var mean = Scores(json.GetProperty("trend"));
        Assert.Equal(3, payroll.Count);
        Assert.All(payroll, s => Assert.NotNull(s));
        Assert.Null(legal[0]); // not registered yet two months back
        Assert.All(legal.Skip(1), s => Assert.NotNull(s));
        Assert.Equal(rows[1].GetProperty("health").GetInt32(), payroll[^1]);
        Assert.Equal(payroll[0], mean[0]);
        Assert.Equal([1, 2, 2], json.GetProperty("trend").EnumerateArray().Select(p => p.GetProperty("departments_scored").GetInt32()));
        var now = DateTimeOffset.UtcNow;
        var current = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [.. new[] { 2, 1, 0 }.Select(back => (current.AddMonths(-back).Year, current.AddMonths(-back).Month))],
            json.GetProperty("trend").EnumerateArray().Select(p => (p.GetProperty("year").GetInt32(), p.GetProperty("month").GetInt32())));

        Assert.Contains($"Health month by month, {current.AddMonths(-2):yyyy-MM} to {current:yyyy-MM}", text);
        Assert.Contains(Line("legal", legal) + "\n", text.ReplaceLineEndings("\n"));
        Assert.Contains(Line("payroll", payroll) + "\n", text.ReplaceLineEndings("\n"));
        Assert.Contains(Line("portfolio mean", mean) + "  (2 department(s) scored now)", text);
        Assert.DoesNotContain("month by month", plain);
    }

    [Fact]
    public async Task A_trend_over_twelve_months_is_refused_by_the_service_naming_the_field()
    {
        var run = await cli.RunAsync("portfolio", "--trend", "13");

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("brm: invalid: trend_months: trend_months must be between 0 and 12", run.Error);
    }
}
