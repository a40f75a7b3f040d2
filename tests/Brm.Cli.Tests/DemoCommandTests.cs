using System.Text.Json;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>brm demo against the real service: a living organisation, loaded once however often it runs.</summary>
public sealed class DemoCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _dana = CliFixture.TokenFor("dana", Role.Admin);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_dana, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    private async Task<int> EventCountAsync() =>
        (await Ok("feed", "--json")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public async Task The_demo_loads_a_believable_monday_morning_and_a_rerun_changes_nothing()
    {
        var first = await Ok("demo");
        Assert.Contains("Loaded the demo organisation for dana: 6 departments, 38 stakeholders", first.Out);
        await cli.WaitForProjectionsAsync();
        var events = await EventCountAsync();

        var second = await Ok("demo", "--json");
        Assert.Equal("dana", second.Json.GetProperty("manager").GetString());
        await cli.WaitForProjectionsAsync();
        Assert.Equal(events, await EventCountAsync());

        var departments = (await Ok("dept", "list", "--manager", "dana", "--json")).Json.GetProperty("relationships").EnumerateArray().ToList();
        Assert.Equal(6, departments.Count);
        Assert.All(departments, d => Assert.True(d.GetProperty("stakeholder_counts").GetProperty("executive").GetInt32() >= 1));
        Assert.All(departments, d => Assert.True(d.GetProperty("stakeholder_counts").GetProperty("staff").GetInt32() >= 2));

        var agenda = (await Ok("agenda", "--json")).Json.GetProperty("entries").EnumerateArray().ToList();
        string[] kinds = ["AGENDA_ENTRY_KIND_COMMUNICATION", "AGENDA_ENTRY_KIND_COMMITMENT", "AGENDA_ENTRY_KIND_MEETING"];
        Assert.All(kinds, kind => Assert.Contains(agenda, e => e.GetProperty("kind").GetString() == kind));
        Assert.Contains(agenda, e => e.GetProperty("overdue").GetBoolean()); // the meetings nobody recorded as held

        var untold = (await Ok("feedback", "list", "--status", "declined", "--json")).Json.GetProperty("feedback").GetArrayLength();
        Assert.Equal(3, untold);
        var stats = (await Ok("feedback", "stats", "--json")).Json.GetProperty("stats");
        Assert.Equal(6, stats.GetProperty("requests_sent").GetInt32());
        Assert.Equal(18, stats.GetProperty("received").GetInt32());
        Assert.Equal(3, stats.GetProperty("declines_not_told").GetInt32());

        var commitments = (await Ok("commit", "list", "--json")).Json.GetProperty("commitments").EnumerateArray().ToList();
        Assert.Equal(24, commitments.Count); // three from each review, one from each actioned feedback
        Assert.Contains(commitments, c => c.GetProperty("status").GetString() == "COMMITMENT_STATUS_DELIVERED" && c.GetProperty("outcome_told").GetBoolean());
        Assert.Contains(commitments, c => c.GetProperty("status").GetString() == "COMMITMENT_STATUS_CANCELLED");

        // Search finds what the business said, in its words: HR's feedback about new starters' laptops and the
        // commitment that answers it among the best-ranked hits (all HR's, the same words), the word marked.
        var hits = (await Ok("search", "laptop", "--json")).Json.GetProperty("hits").EnumerateArray().ToList();
        var best = hits.Where(h => h.GetProperty("rank").GetDouble() == hits[0].GetProperty("rank").GetDouble()).ToList();
        Assert.All(best, h => Assert.Equal("Human Resources", h.GetProperty("department").GetString()));
        Assert.Contains(best, h => h.GetProperty("kind").GetString() == "SEARCH_KIND_FEEDBACK");
        Assert.Contains(best, h => h.GetProperty("kind").GetString() == "SEARCH_KIND_COMMITMENT");
        Assert.All(best, h => Assert.Contains("<mark>laptop</mark>", h.GetProperty("snippet_html").GetString()));
        Assert.Contains("Human Resources", (await Ok("search", "laptop", "--dept", "hr")).Out);

        var coverage = (await Ok("coverage", "finance", "--json")).Json;
        Assert.True(coverage.GetProperty("levels").GetProperty("total").GetProperty("contacted").GetInt32() >= 3);
        var health = await Ok("health", "finance");
        Assert.Contains("Finance (finance): health", health.Out);
        var portfolio = (await Ok("portfolio", "--json")).Json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, portfolio.Count(r => r.GetProperty("manager").GetString() == "dana"));
        Assert.All(portfolio, r => Assert.True(r.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.Number));
        Assert.Contains("The two questions last asked: ", health.Out);
        // The two questions: Marketing was never asked, Operations only what it needs, the others both.
        var byTwoQuestions = (await Ok("portfolio", "--manager", "dana", "--by", "two_questions", "--json")).Json.GetProperty("rows").EnumerateArray()
            .Select(r => (Code: r.GetProperty("code").GetString(), Score: r.GetProperty("signals").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "two_questions").GetProperty("score").GetDouble()))
            .ToList();
        Assert.Equal([("marketing", 0.0), ("operations", 0.5)], byTwoQuestions.Take(2));
        Assert.All(byTwoQuestions.Skip(2), r => Assert.Equal(1.0, r.Score));

        var brm = await cli.RunAsAsync(CliFixture.TokenFor("erin", Role.Brm), "demo");
        Assert.Equal(6, brm.Exit); // registering departments takes an admin
        var another = await cli.RunAsAsync(CliFixture.TokenFor("frank", Role.Admin), "demo");
        Assert.Equal(4, another.Exit); // the demo's departments exist, managed by someone else
        Assert.StartsWith("brm: already exists: department 'finance' was not loaded by the demo for frank", another.Error);
        var same = await cli.RunAsAsync(CliFixture.TokenFor("frank", Role.Admin), "demo", "--manager", "dana");
        Assert.Equal(0, same.Exit); // the same demo, asked for by another admin
        Assert.Equal(events, await EventCountAsync());

        // Tagging a meeting makes a search by the tag find it.
        var meeting = (await Ok("meeting", "list", "--dept", "hr", "--json")).Json.GetProperty("meetings")[0].GetProperty("id").GetString()!;
        Assert.Contains("security", (await Ok("tag", "add", $"hr:meeting:{meeting}", "security")).Out);
        var tagged = (await Ok("search", "--tag", "security", "--json")).Json.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(tagged);
        Assert.All(tagged, h => Assert.Equal(meeting, h.GetProperty("subject_id").GetString()));
        Assert.Contains("security", (await Ok("tag", "list")).Out);
        var wrongDepartment = await cli.RunAsync("tag", "add", $"finance:meeting:{meeting}", "security");
        Assert.Equal((2, true), (wrongDepartment.Exit, wrongDepartment.Error.Contains("is not finance's", StringComparison.Ordinal)));
    }
}
