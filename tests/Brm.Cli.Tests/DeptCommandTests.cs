using Brm.Api.Security;

namespace Brm.Cli.Tests;

public sealed class DeptCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task Dept_add_list_show_rename_assign_and_archive_read_well_and_as_json()
    {
        var added = await cli.RunAsync("dept", "add", "finance", "Finance", "--manager", "alice");
        Assert.True(added.Exit == 0, added.ToString());
        Assert.Contains("Registered finance", added.Out);

        var list = await cli.RunAsync("dept", "list");
        Assert.Equal(0, list.Exit);
        Assert.Contains("finance", list.Out);
        Assert.Contains("alice", list.Out);

        var json = await cli.RunAsync("dept", "list", "--json");
        Assert.Equal("finance", json.Json.GetProperty("relationships")[0].GetProperty("code").GetString());

        Assert.Equal(0, (await cli.RunAsync("dept", "rename", "finance", "Finance & Procurement")).Exit);
        Assert.Equal(0, (await cli.RunAsync("dept", "assign", "finance", "bob")).Exit);
        var show = await cli.RunAsync("dept", "show", "finance");
        Assert.Contains("Finance & Procurement (finance)", show.Out);
        Assert.Contains("manager: bob", show.Out);
        var shown = (await cli.RunAsync("dept", "show", "finance", "--json")).Json.GetProperty("relationship");
        Assert.Equal("bob", shown.GetProperty("manager").GetString());

        var archived = await cli.RunAsync("dept", "archive", "finance", "--reason", "merged");
        Assert.Equal(0, archived.Exit);
        Assert.DoesNotContain("finance", (await cli.RunAsync("dept", "list")).Out);
        Assert.Contains("finance (archived)", (await cli.RunAsync("dept", "list", "--all")).Out);
    }

    [Fact]
    public async Task Each_error_class_has_its_exit_code_and_one_line()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "legal", "Legal")).Exit);

        var usage = await cli.RunAsync("dept", "add");
        Assert.Equal(2, usage.Exit);

        var invalid = await cli.RunAsync("dept", "add", "Not A Code!", "X");
        Assert.Equal(2, invalid.Exit);
        Assert.Contains("code", invalid.Error);
        Assert.Single(invalid.Error.Trim().Split('\n'));

        var missing = await cli.RunAsync("dept", "show", "nowhere");
        Assert.Equal(3, missing.Exit);

        var duplicate = await cli.RunAsync("dept", "add", "legal", "Legal again");
        Assert.Equal(4, duplicate.Exit);
        Assert.Contains("already exists", duplicate.Error);

        Assert.Equal(0, (await cli.RunAsync("dept", "archive", "legal", "--reason", "gone")).Exit);
        var refused = await cli.RunAsync("dept", "rename", "legal", "Legal 2");
        Assert.Equal(5, refused.Exit);
        Assert.Contains("archived", refused.Error);

        var forbidden = await cli.RunAsAsync(CliFixture.TokenFor("rita", Role.Reporter), "dept", "add", "hr", "HR");
        Assert.Equal(6, forbidden.Exit);
        var anonymous = await cli.RunAsAsync(null, "dept", "list");
        Assert.Equal(6, anonymous.Exit);
    }
}
