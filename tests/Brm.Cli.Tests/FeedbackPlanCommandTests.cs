using System.Globalization;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>brm feedback, plan and agenda against the real service, as the BRM who owns the department.</summary>
public sealed class FeedbackPlanCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _carol = CliFixture.TokenFor("carol", Role.Brm);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_carol, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    private Task<CliRun> Run(params string[] args) => cli.RunAsAsync(_carol, args);

    private static string Day(int days) => DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_brm_asks_for_feedback_acts_on_one_declines_another_and_closes_the_loop_by_name()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "fb-sales", "Sales", "--manager", "carol")).Exit);
        await Ok("stakeholder", "add", "fb-sales", "Julia Wagner", "--title", "Sales Manager", "--level", "manager", "--email", "julia@example.com");
        await Ok("stakeholder", "add", "fb-sales", "Ben Carter", "--title", "Sales Rep", "--level", "staff");

        var asked = await Ok("feedback", "request", "fb-sales", "--to", "julia@example.com", "--to", "Ben Carter", "--channel", "email",
            "--periodic", "monthly", "--question", "How are we doing?", "--json");
        var requestId = asked.Json.GetProperty("feedback_request").GetProperty("id").GetString()!;
        Assert.Equal(2, asked.Json.GetProperty("feedback_request").GetProperty("audience_stakeholder_ids").GetArrayLength());

        var praise = await Ok("feedback", "submit", "fb-sales", "--from", "Julia Wagner", "--channel", "email", "--rating", "4",
            "--comment", "Quotes on tablets would help", "--request", requestId, "--json");
        var praiseId = praise.Json.GetProperty("feedback").GetProperty("id").GetString()!;
        Assert.Equal("FEEDBACK_SUBJECT_KIND_PERIODIC", praise.Json.GetProperty("feedback").GetProperty("about").GetProperty("kind").GetString());
        var complaint = await Ok("feedback", "submit", "fb-sales", "--from", "ben carter", "--channel", "face-to-face", "--rating", "2",
            "--comment", "The CRM logs me out", "--json");
        var complaintId = complaint.Json.GetProperty("feedback").GetProperty("id").GetString()!;

        Assert.Contains($"Acknowledged {praiseId}.", (await Ok("feedback", "ack", praiseId, "--note", "looking at it")).Out);
        var actioned = await Ok("feedback", "action", praiseId, "--title", "Pilot tablet quotes", "--due", Day(20), "--json");
        Assert.Equal("Pilot tablet quotes", actioned.Json.GetProperty("commitment").GetProperty("title").GetString());
        Assert.Equal("carol", actioned.Json.GetProperty("commitment").GetProperty("owner").GetString());
        await Ok("feedback", "respond", praiseId, "--message", "We are piloting it", "--channel", "email", "--told", "julia@example.com");

        var early = await Run("feedback", "decline", complaintId, "--reason", "the vendor fixes it in the next release");
        Assert.Equal(5, early.Exit); // not acknowledged yet: a rule
        Assert.Contains("acknowledged", early.Error);
        await Ok("feedback", "ack", complaintId);
        var vague = await Run("feedback", "decline", complaintId, "--reason", "n/a");
        Assert.Equal(2, vague.Exit);
        Assert.StartsWith("brm: invalid: reason:", vague.Error);
        await Ok("feedback", "decline", complaintId, "--reason", "the vendor fixes it in the next release");

        var untold = await Ok("feedback", "list", "--dept", "fb-sales", "--status", "declined", "--json");
        Assert.Equal(complaintId, untold.Json.GetProperty("feedback").EnumerateArray().Single().GetProperty("id").GetString());
        var list = await Ok("feedback", "list", "--dept", "fb-sales");
        Assert.Contains("The CRM logs me out", list.Out);
        Assert.Contains("declined (open)", list.Out);
        Assert.Contains("responded", list.Out);

        var stats = await Ok("feedback", "stats", "--dept", "fb-sales", "--json");
        var s = stats.Json.GetProperty("stats");
        Assert.Equal(1, s.GetProperty("requests_sent").GetInt32());
        Assert.Equal(2, s.GetProperty("received").GetInt32());
        Assert.Equal(1, s.GetProperty("loops_closed").GetInt32());
        Assert.Equal(1, s.GetProperty("declines_not_told").GetInt32());
        Assert.Contains("declines told / NOT told", (await Ok("feedback", "stats")).Out);

        // An NPS request: a 10 is a promoter; an 11 is refused before anything is recorded.
        var nps = await Ok("feedback", "request", "fb-sales", "--to", "Ben Carter", "--channel", "email", "--periodic", "quarterly",
            "--scale", "nps", "--json");
        var npsId = nps.Json.GetProperty("feedback_request").GetProperty("id").GetString()!;
        Assert.Equal("FEEDBACK_SCALE_NPS", nps.Json.GetProperty("feedback_request").GetProperty("scale").GetString());
        Assert.Equal(2, (await Run("feedback", "submit", "fb-sales", "--from", "Ben Carter", "--channel", "email", "--rating", "11", "--request", npsId)).Exit);
        await Ok("feedback", "submit", "fb-sales", "--from", "Ben Carter", "--channel", "email", "--rating", "10", "--request", npsId);
        var scores = (await Ok("feedback", "stats", "--dept", "fb-sales", "--json")).Json.GetProperty("stats").GetProperty("scores");
        Assert.Equal((100.0, 1), (scores.GetProperty("nps").GetDouble(), scores.GetProperty("promoters").GetInt32()));
        Assert.Contains("100 (1 / 0 / 0)", (await Ok("feedback", "stats", "--dept", "fb-sales")).Out);

        Assert.Equal(3, (await Run("feedback", "ack", Guid.NewGuid().ToString())).Exit);
        Assert.Equal(2, (await Run("feedback", "submit", "fb-sales", "--channel", "email", "--rating", "3")).Exit); // neither --from nor --anonymous
        Assert.Equal(2, (await Run("feedback", "request", "fb-sales", "--to", "Ben Carter", "--channel", "email")).Exit); // about what?
        var other = await cli.RunAsAsync(CliFixture.TokenFor("dave", Role.Brm), "feedback", "submit", "fb-sales", "--anonymous", "--channel", "email", "--rating", "3");
        Assert.Equal(6, other.Exit);
    }

    [Fact]
    public async Task A_brm_emails_every_stakeholder_a_personal_link_and_withdraws_the_request()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "fb-legal", "Legal", "--manager", "carol")).Exit);
        await Ok("stakeholder", "add", "fb-legal", "Ines Roy", "--title", "Counsel", "--level", "manager", "--email", "ines@legal.example");
        await Ok("stakeholder", "add", "fb-legal", "Omar Said", "--title", "Paralegal", "--level", "staff", "--email", "omar@legal.example");

        var asked = await Ok("feedback", "request", "fb-legal", "--monthly", "--scale", "nps", "--email", "--allow-anonymous", "--json");
        var request = asked.Json.GetProperty("feedback_request");
        Assert.Equal(("FEEDBACK_DELIVERY_EMAIL", "CHANNEL_EMAIL", "CADENCE_MONTHLY", 2),
            (request.GetProperty("delivery").GetString(), request.GetProperty("channel").GetString(),
             request.GetProperty("about").GetProperty("cadence").GetString(), request.GetProperty("audience_stakeholder_ids").GetArrayLength()));

        // One .eml per stakeholder in the pickup folder (no mail server is configured), each with a personal link.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string[] mails;
        while ((mails = Directory.Exists(cli.PickupFolder) ? [.. Directory.GetFiles(cli.PickupFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("legal.example", StringComparison.Ordinal))] : []).Length < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the two invitations were not written within a minute");
            await Task.Delay(50);
        }

        Assert.All(mails, m => Assert.Contains("/feedback/", m, StringComparison.Ordinal));
        var id = request.GetProperty("id").GetString()!;
        Assert.Contains("take no more answers", (await Ok("feedback", "revoke", id, "--reason", "Sent before the audit closed")).Out);
        Assert.Equal(2, (await Run("feedback", "request", "fb-legal", "--monthly")).Exit); // neither --channel nor --email
    }

    [Fact]
    public async Task A_brm_keeps_a_plan_by_item_name_and_sees_it_on_the_agenda()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "pl-ops", "Operations", "--manager", "carol")).Exit);
        await Ok("pref", "set", "pl-ops", "team-meeting", "--audience", "shift supervisors");
        await Ok("need", "add", "pl-ops", "Wi-Fi maintenance windows");

        var added = await Ok("plan", "add", "pl-ops", "Weekly warehouse update", "--channel", "email", "--audience", "shift supervisors",
            "--cadence", "weekly", "--need", "Wi-Fi maintenance windows");
        Assert.Contains("Added plan item", added.Out);
        Assert.Contains("warning:", added.Out); // email is not the department's preferred channel
        await Ok("plan", "add", "pl-ops", "Monthly service report", "--channel", "team-meeting", "--audience", "leadership", "--cadence", "monthly");
        await Ok("plan", "change", "pl-ops", "weekly warehouse update", "--channel", "team-meeting");
        await Ok("plan", "record", "pl-ops", "--item", "Weekly warehouse update", "--channel", "team-meeting", "--summary", "Outage on Sunday night");
        await Ok("plan", "record", "pl-ops", "--channel", "email", "--summary", "Ad hoc: new scanners arrive");
        await Ok("plan", "retire", "pl-ops", "Monthly service report", "--reason", "covered by the weekly update");

        var plan = await Ok("plan", "show", "pl-ops", "--json");
        var items = plan.Json.GetProperty("plan").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("CHANNEL_TEAM_MEETING", items[0].GetProperty("channel").GetString());
        Assert.True(items[0].TryGetProperty("last_delivered_at", out _));
        Assert.True(items[1].GetProperty("retired").GetBoolean());
        Assert.Equal(2, plan.Json.GetProperty("plan").GetProperty("recent_communications").GetArrayLength());
        var shown = await Ok("plan", "show", "pl-ops");
        Assert.Contains("Monthly service report (retired)", shown.Out);
        Assert.Contains("Ad hoc: new scanners arrive", shown.Out);

        var due = Day(0);
        await Ok("commit", "make", "pl-ops", "Replace the aisle 12 access point", "--due", due, "--note", "asked at the gemba walk");
        var agenda = await Ok("agenda", "--days", "14", "--json"); // this week's update went out: the next one is due in 13 days
        Assert.Equal(14, agenda.Json.GetProperty("horizon_days").GetInt32());
        var entries = agenda.Json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "AGENDA_ENTRY_KIND_COMMUNICATION" && e.GetProperty("what").GetString()!.Contains("Weekly warehouse update", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "AGENDA_ENTRY_KIND_COMMITMENT" && e.GetProperty("what").GetString() == "Replace the aisle 12 access point");
        var human = await Ok("agenda");
        Assert.Contains("Agenda of carol", human.Out);
        Assert.Contains("Replace the aisle 12 access point", human.Out);

        Assert.Equal(3, (await Run("plan", "change", "pl-ops", "No such item", "--what", "x")).Exit);
        Assert.Equal(5, (await Run("plan", "change", "pl-ops", items[1].GetProperty("id").GetString()!, "--what", "Revived")).Exit); // retired is final
        Assert.Equal(2, (await Run("plan", "add", "pl-ops", "Daily", "--channel", "email", "--audience", "all", "--cadence", "daily")).Exit);
        var early = await Run("plan", "add", "pl-ops", "Too early", "--channel", "email", "--audience", "all", "--cadence", "weekly", "--starts", "2001-01-01");
        Assert.Equal(5, early.Exit); // before the relationship was registered: a rule
        Assert.StartsWith("brm: refused:", early.Error);
    }
}
