using System.Globalization;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>brm brief: the department brief against the real service, readable and as JSON.</summary>
public sealed class BriefCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _dana = CliFixture.TokenFor("dana", Role.Brm);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_dana, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    private static string Day(int days) => DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Brief_finance_shows_people_needs_promises_feedback_plan_health_and_what_was_raised()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "finance", "Finance", "--manager", "dana")).Exit);
        await Ok("stakeholder", "add", "finance", "Erin Holt", "--title", "CFO", "--level", "executive");
        await Ok("stakeholder", "add", "finance", "Mona Reyes", "--title", "Controller", "--level", "manager", "--email", "mona@example.com");
        await Ok("need", "add", "finance", "Monthly outage summary", "--priority", "high", "--raised-by", "Mona Reyes");
        await Ok("pref", "set", "finance", "email", "--audience", "all staff");
        await Ok("plan", "add", "finance", "Monthly IT update", "--channel", "email", "--audience", "all staff", "--cadence", "monthly",
            "--need", "Monthly outage summary");
        await Ok("meeting", "log", "finance", "--kind", "coffee-chat", "--topic", "Month-end", "--with", "Mona Reyes",
            "--raised", "concern: invoices arrive twice");
        await Ok("commit", "make", "finance", "Fix the duplicate invoices", "--due", Day(7), "--note", "month-end chat");
        var wish = await Ok("feedback", "submit", "finance", "--from", "Mona Reyes", "--channel", "email", "--comment", "A second laptop, please", "--json");
        var wishId = wish.Json.GetProperty("feedback").GetProperty("id").GetString()!;
        await Ok("feedback", "ack", wishId);
        await Ok("feedback", "decline", wishId, "--reason", "There is no budget for a second laptop this year");
        await cli.WaitForProjectionsAsync();

        var brief = await Ok("brief", "finance");
        var json = (await Ok("brief", "finance", "--json")).Json;

        Assert.Contains("Finance (finance), manager dana", brief.Out);
        Assert.Contains("Nobody has talked to: Erin Holt (never)", brief.Out);
        Assert.Contains("need [high] Monthly outage summary (raised by Mona Reyes); answered by Monthly IT update", brief.Out);
        Assert.Contains("prefers email for all staff", brief.Out);
        Assert.Contains($"Fix the duplicate invoices (due {Day(7)}", brief.Out);
        Assert.Contains("UNTOLD DECLINE Declined, not yet told: \"A second laptop, please\" from Mona Reyes", brief.Out);
        Assert.Contains("Monthly IT update (monthly by email to all staff)", brief.Out);
        Assert.Contains("declines_not_told", brief.Out);
        Assert.Contains("[concern] invoices arrive twice (Month-end, Mona Reyes)", brief.Out);
        Assert.Contains("Committed to \"Fix the duplicate invoices\"", brief.Out);

        Assert.Equal(1, json.GetProperty("untold_declines").GetInt32());
        Assert.Equal("Erin Holt", json.GetProperty("not_contacted")[0].GetProperty("stakeholder").GetProperty("name").GetString());
        Assert.Equal("invoices arrive twice", json.GetProperty("raised_points")[0].GetProperty("point").GetProperty("text").GetString());
        Assert.Equal(3, json.GetProperty("stakeholder_levels").GetArrayLength());
    }

    [Fact]
    public async Task Brief_of_an_unknown_department_says_so()
    {
        var run = await cli.RunAsAsync(_dana, "brief", "no-such-dept");

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("no-such-dept", run.Error);
    }
}
