using System.Text.Json;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>Stakeholders, needs, meetings, commitments and reports, through `brm`, as the BRM who owns the department.</summary>
public sealed class WorkflowCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _alice = CliFixture.TokenFor("alice", Role.Brm);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_alice, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    [Fact]
    public async Task A_brm_records_people_meetings_and_commitments_by_name_and_reads_the_reports()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "hr", "Human Resources", "--manager", "alice")).Exit);
        await Ok("stakeholder", "add", "hr", "Hana Ito", "--title", "HR Director", "--level", "executive", "--email", "hana@example.com", "--influence", "high");
        await Ok("stakeholder", "add", "hr", "Sam Lee", "--title", "Recruiter", "--level", "staff");
        await Ok("stakeholder", "update", "hr", "sam lee", "--title", "Senior Recruiter");
        var need = await Ok("need", "add", "hr", "Monthly outage summary", "--priority", "high", "--raised-by", "hana@example.com", "--json");
        var needId = need.Json.GetProperty("information_need_id").GetString()!;
        await Ok("pref", "set", "hr", "face-to-face", "--audience", "leadership team");
        await Ok("maturity", "assess", "hr", "2", "--side", "business", "--evidence", "asks for tickets only");

        var show = await Ok("dept", "show", "hr");
        Assert.Contains("Senior Recruiter", show.Out);
        Assert.Contains("Monthly outage summary", show.Out);
        Assert.Contains("leadership team: face-to-face", show.Out);
        await Ok("need", "retire", "hr", needId, "--reason", "now on the intranet");

        var logged = await Ok("meeting", "log", "hr", "--kind", "coffee-chat", "--topic", "VPN", "--with", "Hana Ito",
            "--raised", "concern: VPN drops every morning", "--json");
        var meetingId = logged.Json.GetProperty("meeting").GetProperty("id").GetString()!;
        var scheduled = await Ok("meeting", "schedule", "hr", "--kind", "service-review", "--topic", "Quarterly review",
            "--start", DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-ddTHH:mmzzz", System.Globalization.CultureInfo.InvariantCulture), "--invite", "hana@example.com", "--json");
        var reviewId = scheduled.Json.GetProperty("meeting").GetProperty("id").GetString()!;
        await Ok("meeting", "reschedule", reviewId, "--start", DateTimeOffset.UtcNow.AddDays(8).ToString("O"), "--reason", "clash");
        await Ok("meeting", "cancel", reviewId, "--reason", "holiday");
        Assert.Contains("VPN drops every morning", (await Ok("meeting", "show", meetingId)).Out);
        Assert.Contains("Quarterly review", (await Ok("meeting", "list", "--dept", "hr")).Out);

        var made = await Ok("commit", "make", "hr", "Fix the VPN", "--due", DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "--meeting", meetingId, "--json");
        var commitmentId = made.Json.GetProperty("commitment").GetProperty("id").GetString()!;
        Assert.Equal("alice", made.Json.GetProperty("commitment").GetProperty("owner").GetString());
        await Ok("commit", "start", commitmentId);
        await Ok("commit", "deliver", commitmentId, "--note", "new concentrator");
        await Ok("commit", "informed", commitmentId, "--channel", "email", "--told", "Hana Ito", "--message", "fixed");
        Assert.Contains("Fix the VPN", (await Ok("commit", "list", "--dept", "hr")).Out);
        Assert.Contains("business-informed", (await Ok("commit", "show", commitmentId)).Out);

        await cli.WaitForProjectionsAsync();
        var coverage = await Ok("coverage", "hr", "--json");
        Assert.Equal(1, coverage.Json.GetProperty("levels").GetProperty("total").GetProperty("contacted").GetInt32());
        Assert.Contains("Sam Lee", (await Ok("coverage")).Out);
        Assert.Contains("hr", (await Ok("portfolio")).Out);
        Assert.Equal(0, (await Ok("health", "hr")).Exit);
        Assert.Contains("alice", (await Ok("timeline", "hr")).Out);
        Assert.Contains("Human Resources", (await Ok("asof", "hr", "now")).Out);

        var feed = await Ok("feed", "--json", "--type", "stakeholder_added");
        var lines = feed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, feed.Out); // the class's other tests add people too
        Assert.All(lines, line => Assert.Equal("stakeholder_added", JsonDocument.Parse(line).RootElement.GetProperty("event_type").GetString()));

        await Ok("stakeholder", "remove", "hr", "Sam Lee", "--reason", "left");
        Assert.Equal(0, (await cli.RunAsync("stakeholder", "erase", "hr", "hana@example.com")).Exit);
        Assert.DoesNotContain("Hana", (await Ok("dept", "show", "hr")).Out);
    }

    [Fact]
    public async Task Client_side_mistakes_name_the_field_and_a_rule_refusal_is_exit_5()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "ops", "Operations", "--manager", "alice")).Exit);
        await Ok("stakeholder", "add", "ops", "Kim", "--title", "Lead", "--level", "manager");
        await Ok("stakeholder", "add", "ops", "Kim", "--title", "Clerk", "--level", "staff");

        var badLevel = await cli.RunAsAsync(_alice, "stakeholder", "add", "ops", "Lee", "--title", "X", "--level", "boss");
        Assert.Equal(2, badLevel.Exit);
        Assert.StartsWith("brm: level:", badLevel.Error);
        var ambiguous = await cli.RunAsAsync(_alice, "stakeholder", "update", "ops", "Kim", "--title", "Y");
        Assert.Equal(2, ambiguous.Exit);
        Assert.Contains("ambiguous", ambiguous.Error);
        Assert.Equal(3, (await cli.RunAsAsync(_alice, "stakeholder", "update", "ops", "Nobody", "--title", "Y")).Exit);
        Assert.Equal(3, (await cli.RunAsAsync(_alice, "commit", "show", Guid.NewGuid().ToString())).Exit);

        var notLogged = await cli.RunAsAsync(_alice, "meeting", "log", "ops", "--kind", "remote", "--topic", "Intro", "--with", "Kim");
        Assert.Equal(2, notLogged.Exit);

        Assert.Equal(0, (await cli.RunAsync("dept", "archive", "ops", "--reason", "merged")).Exit);
        var refused = await cli.RunAsAsync(_alice, "need", "add", "ops", "Anything");
        Assert.Equal(5, refused.Exit);
    }

    [Fact]
    public async Task Login_stores_the_token_and_later_runs_use_it()
    {
        var config = Path.Combine(Path.GetTempPath(), $"brm-login-{Guid.NewGuid():N}.json");
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, await Cli.RunAsync(["login", "--token", cli.AdminToken, "--address", cli.Address, "--config", config], stdout, stderr));
            Assert.Equal(0, await Cli.RunAsync(["dept", "add", "it-sec", "IT Security", "--config", config], stdout, stderr));
            Assert.Contains("Registered it-sec", stdout.ToString());
            Assert.Equal(2, await Cli.RunAsync(["login", "--config", config], stdout, stderr));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
