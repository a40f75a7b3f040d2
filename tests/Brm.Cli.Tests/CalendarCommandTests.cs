using System.Net;
using Brm.Api.Security;

namespace Brm.Cli.Tests;

/// <summary>brm calendar url and revoke against the real service, as a BRM; the address is fetched from the service itself.</summary>
public sealed class CalendarCommandTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private readonly string _erin = CliFixture.TokenFor("erin", Role.Brm);

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await cli.RunAsAsync(_erin, args);
        Assert.True(run.Exit == 0, $"brm {string.Join(' ', args)}: {run}");
        return run;
    }

    /// <summary>The address's path, fetched from the test's service (over h2c: its one endpoint speaks HTTP/2).</summary>
    private async Task<HttpResponseMessage> FetchAsync(string url)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        return await http.GetAsync($"{cli.Address}{new Uri(url).AbsolutePath}");
    }

    [Fact]
    public async Task A_brm_gets_their_address_renews_it_and_revokes_it()
    {
        Assert.Equal(0, (await cli.RunAsync("dept", "add", "cal-ops", "Operations", "--manager", "erin")).Exit);
        await Ok("commit", "make", "cal-ops", "Replace the badge readers", "--note", "asked at the review", "--due", DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var first = (await Ok("calendar", "url")).Out.Trim();
        Assert.Matches(@"^http://localhost:50052/calendar/[A-Za-z0-9_-]+\.ics$", first);
        var feed = await FetchAsync(first);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SUMMARY:Due: Replace the badge readers (Operations)", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Asked again: an address of the same feed, which works as the first does.
        var again = await Ok("calendar", "url", "--json");
        Assert.True(again.Json.GetProperty("feed").GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(again.Json.GetProperty("feed").GetProperty("url").GetString()!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(first)).StatusCode);

        // --new: the address in use stops working.
        var renewed = (await Ok("calendar", "url", "--new")).Out.Trim();
        Assert.NotEqual(first, renewed);
        Assert.Equal(HttpStatusCode.Gone, (await FetchAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(renewed)).StatusCode);

        var revoked = await Ok("calendar", "revoke");
        Assert.Contains("erin's calendar feed address is revoked", revoked.Out, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await FetchAsync(renewed)).StatusCode);

        // Another BRM's feed is theirs: permission denied (exit 6).
        Assert.Equal(6, (await cli.RunAsAsync(_erin, "calendar", "url", "--manager", "frank")).Exit);
        Assert.Equal(6, (await cli.RunAsAsync(_erin, "calendar", "revoke", "--manager", "frank")).Exit);

        // After a revocation, `url` issues a new address.
        var fresh = (await Ok("calendar", "url")).Out.Trim();
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(fresh)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await FetchAsync(renewed)).StatusCode);
    }
}
