using System.Globalization;
using System.Text;

namespace Brm.Cli.Tests;

/// <summary>brm import and brm export against the real service: bad rows by line and field, reruns, round trips.</summary>
public sealed class ImportExportCommandTests(CliFixture cli) : IClassFixture<CliFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("brm-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<string[]> CodesAsync() =>
        [.. (await cli.RunAsync("dept", "list", "--all", "--json")).Json.TryGetProperty("relationships", out var list)
            ? list.EnumerateArray().Select(r => r.GetProperty("code").GetString()!) : []];

    [Fact]
    public async Task Bad_department_rows_are_each_reported_by_line_and_field_and_nothing_is_imported_until_fixed_or_skipped()
    {
        var path = File("departments.csv", """
            code,name,manager
            imp-finance,Finance,alice
            Not A Code,Broken,
            imp-hr,,bob
            imp-sales,Sales,
            imp-finance,Finance again,
            """);

        var refused = await cli.RunAsync("import", path);
        Assert.Equal(2, refused.Exit);
        Assert.Equal(
            [
                "line 3: code: 'Not A Code' is not 2-40 lower-case letters, digits and single hyphens",
                "line 4: name: required",
                "line 6: code: repeats line 2",
            ],
            Lines(refused.Error));
        Assert.Contains("Nothing imported", refused.Out);
        Assert.DoesNotContain("imp-finance", await CodesAsync());

        var skipped = await cli.RunAsync("import", path, "--skip-bad", "--json");
        Assert.Equal(2, skipped.Exit);
        Assert.Equal(2, skipped.Json.GetProperty("added").GetInt32());
        Assert.Equal([3, 4, 6], skipped.Json.GetProperty("bad").EnumerateArray().Select(b => b.GetProperty("line").GetInt32()));
        Assert.Contains("imp-finance", await CodesAsync());
        Assert.Contains("imp-sales", await CodesAsync());

        var fixedFile = File("departments.csv", """
            code,name,manager
            imp-finance,Finance,alice
            imp-ops,Operations,
            imp-hr,Human Resources,bob
            imp-sales,Sales,
            """);
        var check = await cli.RunAsync("import", fixedFile, "--check", "--json");
        Assert.Equal(0, check.Exit);
        Assert.False(check.Json.GetProperty("applied").GetBoolean());
        Assert.DoesNotContain("imp-ops", await CodesAsync());

        var rerun = await cli.RunAsync("import", fixedFile, "--json");
        Assert.True(rerun.Exit == 0, rerun.ToString());
        Assert.Equal(2, rerun.Json.GetProperty("added").GetInt32());
        Assert.Equal(2, rerun.Json.GetProperty("already_present").GetInt32());
        var again = await cli.RunAsync("import", fixedFile, "--json");
        Assert.Equal(0, again.Json.GetProperty("added").GetInt32());
        Assert.Equal(4, (await CodesAsync()).Count(code => code.StartsWith("imp-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_500_row_stakeholder_file_with_three_bad_rows_reports_exactly_those_and_imports_the_rest_once()
    {
        string[] departments = ["big-a", "big-b", "big-c", "big-d", "big-e"];
        foreach (var code in departments)
        {
            Assert.Equal(0, (await cli.RunAsync("dept", "add", code, $"Department {code}")).Exit);
        }

        var csv = new StringBuilder("department,name,title,level,email,influence,interest\n");
        string[] levels = ["executive", "manager", "staff", "staff"];
        for (var i = 0; i < 500; i++)
        {
            var line = i + 2;
            var row = (line switch
            {
                57 => ["big-a", "Bad Level", "Clerk", "boss", "", "", ""],
                230 => ["big-b", "Bad Email", "Clerk", "staff", "not-an-email", "low", "high"],
                444 => ["nowhere", "Lost Person", "Clerk", "staff", "", "", ""],
                _ => (string[])[departments[i % 5], $"Person {i}", i % 7 == 0 ? "Head of \"Things\", North" : "Clerk", levels[i % 4], i % 3 == 0 ? "" : $"person{i}@example.com", "medium", "low"],
            }).Select(Quote);
            csv.Append(string.Join(',', row)).Append('\n');
        }

        var path = File("stakeholders.csv", csv.ToString());
        var refused = await cli.RunAsync("import", path, "--json");
        Assert.Equal(2, refused.Exit);
        Assert.Equal(0, refused.Json.GetProperty("added").GetInt32());
        var reported = Lines(refused.Error);
        Assert.Equal(3, reported.Length);
        Assert.StartsWith("line 57: level: 'boss' is not one of", reported[0]);
        Assert.Equal("line 230: email: 'not-an-email' is not an email address", reported[1]);
        Assert.Equal("line 444: department: no department 'nowhere' (import departments first)", reported[2]);

        var imported = await cli.RunAsync("import", path, "--skip-bad", "--json");
        Assert.Equal(2, imported.Exit);
        Assert.Equal(497, imported.Json.GetProperty("added").GetInt32());
        var rerun = await cli.RunAsync("import", path, "--skip-bad", "--json");
        Assert.Equal(0, rerun.Json.GetProperty("added").GetInt32());
        Assert.Equal(497, rerun.Json.GetProperty("already_present").GetInt32());

        var total = 0;
        foreach (var code in departments)
        {
            total += (await cli.RunAsync("dept", "show", code, "--json")).Json.GetProperty("relationship").GetProperty("stakeholder_counts").GetProperty("total").GetInt32();
        }

        Assert.Equal(497, total);
        var shown = await cli.RunAsync("dept", "show", "big-a");
        Assert.Contains("Head of \"Things\", North", shown.Out);
    }

    [Fact]
    public async Task Export_writes_stable_columns_and_departments_and_stakeholders_import_back_adding_nothing()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "exp-legal", "Legal, Risk & \"Compliance\"", "--manager", "alice")).Exit);
        Assert.Equal(0, (await cli.RunAsync("stakeholder", "add", "exp-legal", "Elizabeth Grant", "--title", "General Counsel", "--level", "executive",
            "--email", "eg@example.com", "--influence", "high")).Exit);
        Assert.Equal(0, (await cli.RunAsync("stakeholder", "add", "exp-legal", "Priya Nair", "--title", "Paralegal", "--level", "staff")).Exit);
        var due = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(0, (await cli.RunAsync("commit", "make", "exp-legal", "Contract search", "--due", due, "--note", "asked by email")).Exit);
        Assert.Equal(0, (await cli.RunAsync("feedback", "submit", "exp-legal", "--from", "Priya Nair", "--channel", "email", "--rating", "2", "--comment", "slow, \"very\" slow")).Exit);

        var folder = Path.Combine(_folder, "export");
        var export = await cli.RunAsync("export", "--out", folder);
        Assert.True(export.Exit == 0, export.ToString());
        var departments = System.IO.File.ReadAllLines(Path.Combine(folder, "departments.csv"));
        Assert.Equal("code,name,manager", departments[0]);
        Assert.Contains("exp-legal,\"Legal, Risk & \"\"Compliance\"\"\",alice", departments);
        var stakeholders = System.IO.File.ReadAllLines(Path.Combine(folder, "stakeholders.csv"));
        Assert.Equal("department,name,title,level,email,influence,interest", stakeholders[0]);
        Assert.Contains("exp-legal,Elizabeth Grant,General Counsel,executive,eg@example.com,high,medium", stakeholders);
        Assert.Contains("exp-legal,Priya Nair,Paralegal,staff,,medium,medium", stakeholders);
        var commitments = System.IO.File.ReadAllLines(Path.Combine(folder, "commitments.csv"));
        Assert.Equal("id,department,title,status,owner,due,overdue,direction,visible_to_business,renegotiations,outcome_told,made_at,closed_at", commitments[0]);
        Assert.Contains(commitments, line => line.Contains($",exp-legal,Contract search,open,{CliFixture.AdminName},{due},false,it-to-business,true,0,false,", StringComparison.Ordinal));
        var feedback = System.IO.File.ReadAllLines(Path.Combine(folder, "feedback.csv"));
        Assert.Equal("id,department,from,anonymous,channel,rating,comment,about,status,loop_closed,loop_open_days,received_at", feedback[0]);
        Assert.Contains(feedback, line => line.Contains(",exp-legal,Priya Nair,false,email,2,\"slow, \"\"very\"\" slow\",general,received,false,0,", StringComparison.Ordinal));

        foreach (var file in (string[])["departments.csv", "stakeholders.csv"])
        {
            var back = await cli.RunAsync("import", Path.Combine(folder, file), "--json");
            Assert.True(back.Exit == 0, back.ToString());
            Assert.Equal(0, back.Json.GetProperty("added").GetInt32());
            Assert.True(back.Json.GetProperty("already_present").GetInt32() >= 1);
        }

        var json = await cli.RunAsync("export", "feedback", "--format", "json");
        Assert.Equal(0, json.Exit);
        var item = json.Json.EnumerateArray().Single(f => f.GetProperty("department").GetString() == "exp-legal");
        Assert.Equal(2, item.GetProperty("rating").GetInt32());
        Assert.Equal("slow, \"very\" slow", item.GetProperty("comment").GetString());
        Assert.False(item.GetProperty("loop_closed").GetBoolean());

        Assert.Equal(2, (await cli.RunAsync("export", "--format", "csv")).Exit); // several kinds need --out
        Assert.Equal(2, (await cli.RunAsync("export", "invoices")).Exit);
        Assert.Equal(2, (await cli.RunAsync("export", "departments", "--format", "xml")).Exit);
        Assert.Equal(3, (await cli.RunAsync("import", Path.Combine(_folder, "missing.csv"))).Exit);
        var wrongHeader = await cli.RunAsync("import", File("departments-typo.csv", "code,nmae\nx-y,Z\n"));
        Assert.Equal(2, wrongHeader.Exit);
        Assert.Equal("brm: line 1: 'nmae' is not a column; the columns are code,name,manager", wrongHeader.Error.Trim());
    }

    private static string Quote(string cell) => cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal)
        ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
