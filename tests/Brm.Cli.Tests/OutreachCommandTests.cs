using System.Globalization;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>brm update and digest against the real service, as the BRM who owns the department; mail goes to the pickup folder.</summary>
public sealed class OutreachCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _carol = CliFixture.TokenFor("carol", Role.Brm);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_carol, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    private Task<CliRun> Run(params string[] args) => cli.RunAsAsync(_carol, args);

    [Fact]
    public async Task A_brm_drafts_the_update_to_a_file_edits_it_sends_it_and_sees_it_delivered()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "up-fin", "Finance", "--manager", "carol")).Exit);
        await Ok("stakeholder", "add", "up-fin", "Julia Wagner", "--title", "Finance Director", "--level", "executive", "--email", "julia@example.com");
        await Ok("pref", "set", "up-fin", "email", "--audience", "finance team");
        await Ok("plan", "add", "up-fin", "Monthly IT update", "--channel", "email", "--audience", "finance team", "--cadence", "monthly");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var made = await Ok("commit", "make", "up-fin", "Fix the month-end report", "--due", today, "--note", "asked at the review", "--json");
        await Ok("commit", "deliver", made.Json.GetProperty("commitment").GetProperty("id").GetString()!);

        var file = Path.Combine(Path.GetTempPath(), $"brm-update-test-{Guid.NewGuid():N}.md");
        try
        {
            var draft = await Ok("update", "draft", "up-fin", "--item", "monthly it update", "--out", file);
            Assert.StartsWith("Subject: IT update for Finance", draft.Out);
            Assert.Contains("Fix the month-end report", draft.Out);
            Assert.Contains("Facts: commitment-delivered 1; default recipients: Julia Wagner <julia@example.com>", draft.Out);
            var lastMonth = DateOnly.FromDateTime(DateTime.Now).AddMonths(-1);
            var month = await Ok("update", "draft", "up-fin", "--plan-item", "monthly it update", "--month", $"{lastMonth:yyyy-MM}");
            var monthEnd = lastMonth.AddMonths(1).AddDays(-lastMonth.AddMonths(1).Day);
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"from 1 {lastMonth:MMMM} to {monthEnd:d MMMM yyyy}"), month.Out);
            Assert.Equal(2, (await Run("update", "draft", "up-fin", "--month", "November")).Exit);
            var written = await File.ReadAllLinesAsync(file);
            Assert.StartsWith("Subject: IT update for Finance", written[0]);
            Assert.Equal("", written[1]);
            await File.WriteAllLinesAsync(file, ["Subject: Finance and IT, this month", .. written.Skip(1), "Ask me anything."]);

            Assert.Equal(3, (await Run("update", "send", "up-fin", "--item", "Monthly IT update", "--file", file, "--to", "Nobody")).Exit);
            var sent = await Ok("update", "send", "up-fin", "--item", "Monthly IT update", "--file", file,
                "--to", "finance-all@example.com", "--to", "julia wagner", "--json");
            var update = sent.Json.GetProperty("update");
            Assert.Equal("Finance and IT, this month", update.GetProperty("subject").GetString());
            Assert.EndsWith("Ask me anything.\n", update.GetProperty("body_markdown").GetString());
            Assert.Equal(2, update.GetProperty("deliveries").GetArrayLength());
            var id = update.GetProperty("id").GetString()!;

            var list = await Ok("update", "list", "up-fin");
            Assert.Contains("Finance and IT, this month", list.Out);
            Assert.Contains(id, list.Out);

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await Ok("update", "show", id, "--json")).Json.GetProperty("update").GetProperty("deliveries").EnumerateArray()
                   .Any(d => d.GetProperty("status").GetString() != "DELIVERY_STATUS_DELIVERED"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the update was not delivered within a minute");
                await Task.Delay(200);
            }

            var show = await Ok("update", "show", id);
            Assert.StartsWith("Subject: Finance and IT, this month\nSent by carol", show.Out.ReplaceLineEndings("\n"));
            Assert.Contains("finance-all@example.com", show.Out);
            Assert.Contains("julia@example.com", show.Out);
            Assert.Contains("delivered", show.Out);
            Assert.Contains("Ask me anything.", show.Out);
            Assert.Equal(1, (await Ok("update", "list", "up-fin", "--json")).Json.GetProperty("updates").GetArrayLength());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sending_an_update_left_unchanged_in_the_editor_sends_nothing()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "up-hr", "Human Resources", "--manager", "carol")).Exit);
        await Ok("plan", "add", "up-hr", "HR update", "--channel", "email", "--audience", "HR team", "--cadence", "monthly");
        var visual = Environment.GetEnvironmentVariable("VISUAL");
        try
        {
            Environment.SetEnvironmentVariable("VISUAL", "true"); // an editor that changes nothing
            var unchanged = await Run("update", "send", "up-hr", "--item", "HR update", "--edit", "--to", "hr@example.com");
            Assert.Equal(2, unchanged.Exit);
            Assert.Contains("nothing sent", unchanged.Error);

            Environment.SetEnvironmentVariable("VISUAL", "sed -i -e '1s/.*/Subject: HR and IT/'");
            var edited = await Ok("update", "send", "up-hr", "--item", "HR update", "--edit", "--to", "hr@example.com", "--json");
            Assert.Equal("HR and IT", edited.Json.GetProperty("update").GetProperty("subject").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("VISUAL", visual);
        }

        Assert.Equal(1, (await Ok("update", "list", "up-hr", "--json")).Json.GetProperty("updates").GetArrayLength());
    }

    [Fact]
    public async Task A_brm_sets_their_digest_sees_it_and_previews_it()
    {
        var set = await Ok("digest", "set", "--day", "tuesday", "--hour", "9", "--tz", "Europe/London", "--email", "carol@example.com");
        Assert.StartsWith("Digest of carol: every tuesday at 09:00 Europe/London, to carol@example.com; next: 20", set.Out);

        var shown = await Ok("digest", "show", "--json");
        var preferences = shown.Json.GetProperty("preferences");
        Assert.Equal("WEEKDAY_TUESDAY", preferences.GetProperty("day").GetString());
        Assert.Equal(9, preferences.GetProperty("hour").GetInt32());

        var off = await Ok("digest", "set", "--off");
        Assert.StartsWith("Digest of carol: off, to carol@example.com; next: none", off.Out);
        Assert.Equal(9, (await Ok("digest", "show", "--json")).Json.GetProperty("preferences").GetProperty("hour").GetInt32()); // the rest kept

        var preview = await Ok("digest", "preview");
        Assert.StartsWith("Subject: ", preview.Out);
        Assert.Contains("entries, 0 declines not told", preview.Out);

        Assert.Equal(2, (await Run("digest", "set", "--day", "someday")).Exit);
        Assert.Equal(6, (await Run("digest", "set", "--manager", "dave", "--off")).Exit); // another BRM's
    }
}
