using System.Globalization;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using OpenQA.Selenium;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// The web app's portfolio (sorted by health or any signal, with health month by month as a chart) and a department as of a
/// past day, in a real browser against the real service, whose clock the test sets so that the record has a history.
/// Screenshots docs/screenshots/web-portfolio.png and web-as-of.png are this test's (BRM_SCREENSHOTS=docs/screenshots).
/// </summary>
public sealed class WebPortfolioBrowserTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private WebAppHost _app = null!;

    public async Task InitializeAsync()
    {
        _clock.Set(DateTimeOffset.UtcNow);
        _app = await WebAppHost.StartAsync(_clock);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_brm_sorts_the_portfolio_by_health_and_by_signals_sees_its_trend_and_a_department_as_it_stood_on_a_past_day()
    {
        var now = _clock.GetUtcNow();
        var channel = _app.Host.ChannelAs("admin.tests", Role.Admin, _app.Grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var meetings = new MeetingService.MeetingServiceClient(channel);
        var feedback = new FeedbackService.FeedbackServiceClient(channel);

        // 150 days ago: Finance (Ana, executive; Ben, staff), HR (Hana, staff), Legal (Leo, staff), all Jane's; Ops, Omar's.
        _clock.Set(now.AddDays(-150));
        var finance = await relationships.RegisterAsync("Finance", manager: "brm.jane", code: "finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive));
        var ben = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff));
        var hr = await relationships.RegisterAsync("HR", manager: "brm.jane", code: "hr");
        var hana = await relationships.AddStakeholderAsync(Stakeholder(hr, "Hana Berg", StakeholderLevel.Staff));
        var legal = await relationships.RegisterAsync("Legal", manager: "brm.jane", code: "legal");
        await relationships.AddStakeholderAsync(Stakeholder(legal, "Leo Marsh", StakeholderLevel.Staff));
        await relationships.RegisterAsync("Operations", manager: "brm.omar", code: "ops");
        _clock.Set(now.AddDays(-140));
        await meetings.LogConversationAsync(Talk(finance, ana.StakeholderId, now.AddDays(-140)));
        // 100 days ago Carl joins Finance: not there on a day before.
        _clock.Set(now.AddDays(-100));
        await relationships.AddStakeholderAsync(Stakeholder(finance, "Carl Dunn", StakeholderLevel.Manager));
        _clock.Set(now.AddDays(-60));
        await meetings.LogConversationAsync(Talk(hr, hana.StakeholderId, now.AddDays(-60)));
        _clock.Set(now.AddDays(-40));
        var desks = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = hr.Id, FromStakeholderId = hana.StakeholderId, Channel = Channel.Email, Comment = "Standing desks for the recruiters",
        })).Feedback;
        await feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = desks.Id });
        await feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = desks.Id, Reason = FeedbackBuilders.BudgetReason });
        _clock.Set(now.AddDays(-5));
        await meetings.LogConversationAsync(Talk(finance, ben.StakeholderId, now.AddDays(-5)));
        _clock.Set(now);

        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);
        page.Open("portfolio");
        page.SignIn("brm.jane", "BRM");
        page.WaitForHeading("Portfolio of brm.jane");

        // Worst health first (nobody was asked the two questions): Legal (nobody talked to: 0), Finance (Ben 5 days ago, a
        // third of its levels covered: 42), HR (Hana 60 days ago, a decline untold: 48). Operations is Omar's.
        Assert.Equal(["Legal", "Finance", "HR"], Rows(browser, "Legal", "Finance", "HR"));
        Assert.Equal("ascending", Header(browser, "Health").GetAttribute("aria-sort"));
        Assert.Equal(["0", "42", "48"], browser.Driver.FindElements(By.CssSelector("table.portfolio td.health .figure")).Select(e => e.Text));

        // The chart of the portfolio's health: named by its title and description, with the figures as a table, a year of months.
        var chart = page.WaitFor(By.CssSelector("figure.chart svg[role=img]"));
        Assert.Equal("Portfolio health, month by month", chart.FindElement(By.TagName("title")).GetAttribute("textContent"));
        Assert.StartsWith("Portfolio health: ", chart.FindElement(By.TagName("desc")).GetAttribute("textContent"), StringComparison.Ordinal);
        Assert.Equal("portfolio-trend-title portfolio-trend-desc", chart.GetAttribute("aria-labelledby"));
        Assert.NotEmpty(chart.FindElements(By.CssSelector("polyline.line")));
        var figures = browser.Driver.FindElements(By.CssSelector("figure.chart table.chart-figures tbody tr"));
        Assert.Equal(12, figures.Count);
        var thisMonth = now.ToString("MMM yyyy", CultureInfo.InvariantCulture);
        Assert.Equal(thisMonth, figures[^1].FindElement(By.TagName("th")).GetAttribute("textContent"));
        // Now: the mean of 0, 42 and 48; six months ago, before anyone was registered, none.
        Assert.Equal("30", figures[^1].FindElements(By.TagName("td"))[0].GetAttribute("textContent"));
        Assert.Equal("no score", figures[5].FindElements(By.TagName("td"))[0].GetAttribute("textContent"));
        Assert.All(browser.Driver.FindElements(By.CssSelector("table.portfolio td.health svg.spark")),
            spark => Assert.StartsWith("Health: ", spark.GetAttribute("aria-label"), StringComparison.Ordinal));
        page.Accessible();
        browser.Screenshot("web-portfolio");

        // By coverage: Legal none of one, Finance a third, HR all. By untold declines: HR's, then those without feedback, by name.
        Header(browser, "Coverage").FindElement(By.TagName("a")).Click();
        Assert.Equal(["Legal", "Finance", "HR"], Rows(browser, "Legal", "Finance", "HR"));
        Assert.Equal("ascending", Header(browser, "Coverage").GetAttribute("aria-sort"));
        Assert.Equal("none", Header(browser, "Health").GetAttribute("aria-sort"));
        Assert.EndsWith("portfolio?sort=coverage", browser.Driver.Url, StringComparison.Ordinal);
        Header(browser, "Declines not told").FindElement(By.TagName("a")).Click();
        Assert.Equal(["HR", "Finance", "Legal"], Rows(browser, "HR", "Finance", "Legal"));
        Assert.Contains("1 untold", page.WaitFor(By.CssSelector("tr#row-hr")).Text, StringComparison.Ordinal);
        page.Accessible();

        // Every department: an empty BRM.
        page.WaitFor(By.Id("brm")).Clear();
        page.WaitFor(By.XPath("//button[normalize-space()='Show']")).Click();
        page.WaitForHeading("Portfolio: every department");
        Rows(browser, "HR", "Finance", "Legal", "Operations");

        // Each row links to the department's brief; from there, its navigation leads to Finance as of today: Carl is there.
        page.WaitFor(By.LinkText("Finance")).Click();
        page.WaitForHeading("Finance: the brief");
        page.WaitFor(By.XPath("//nav[contains(@class,'subnav')]//a[normalize-space()='As of']")).Click();
        page.WaitForHeading($"Finance as of {Day(now)}");
        page.WaitForText("#stakeholders", "(3)");
        Assert.Contains("Carl Dunn", page.WaitFor(By.CssSelector("section[aria-labelledby=stakeholders] table")).Text, StringComparison.Ordinal);

        // A day before Carl joined, picked with the date input: the address keeps it, and Carl is not there yet.
        var before = now.AddDays(-120);
        var on = before.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        browser.Driver.ExecuteScript(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", page.WaitFor(By.Id("on")), on);
        page.WaitFor(By.XPath("//button[normalize-space()='Show']")).Click();
        page.WaitForHeading($"Finance as of {Day(before)}");
        Assert.EndsWith($"departments/finance/as-of?on={on}", browser.Driver.Url, StringComparison.Ordinal);
        page.WaitForText("#stakeholders", "(2)");
        var then = page.WaitFor(By.CssSelector("section[aria-labelledby=stakeholders] table")).Text;
        Assert.Contains("Ana Lima", then, StringComparison.Ordinal);
        Assert.Contains("Ben Ode", then, StringComparison.Ordinal);
        Assert.DoesNotContain("Carl", then, StringComparison.Ordinal);
        page.Accessible();
        browser.Screenshot("web-as-of");

        // HR 20 days ago: the decline made 40 days ago, not yet told, is an open loop then.
        page.Open($"departments/hr/as-of?on={now.AddDays(-20):yyyy-MM-dd}");
        page.WaitForText("#feedback", "(1)");
        Assert.Contains("Standing desks", page.WaitFor(By.CssSelector("li.entry.untold")).Text, StringComparison.Ordinal);

        // A day before Finance was registered: the service's refusal, said plainly. A day to come, and no day at all: said too.
        page.Open($"departments/finance/as-of?on={now.AddDays(-200):yyyy-MM-dd}");
        page.WaitForText(".problem[role=alert]", "Finance did not exist yet on");
        Assert.Contains($"registered on {Day(now.AddDays(-150))}", page.WaitFor(By.CssSelector(".problem")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.Driver.FindElements(By.Id("stakeholders")));
        page.Accessible();
        page.Open($"departments/finance/as-of?on={now.AddDays(30):yyyy-MM-dd}");
        page.WaitForText(".problem[role=alert]", "is in the future");
        Assert.Equal("Pick today or an earlier day.", page.WaitFor(By.CssSelector(".field-error")).Text);
        Assert.Empty(browser.Driver.FindElements(By.Id("stakeholders")));
        page.Accessible();
        page.Open("departments/finance/as-of?on=last-tuesday");
        page.WaitForText(".problem[role=alert]", "is not a day");
    }

    private static LogConversationRequest Talk(Relationship relationship, string stakeholderId, DateTimeOffset at) => new()
    {
        RelationshipId = relationship.Id,
        Kind = MeetingKind.CoffeeChat,
        Conversation = new ConversationDetails { HeldAt = At(at), StakeholderIds = { stakeholderId }, ItShared = "asked how the month went" },
    };

    private static string Day(DateTimeOffset at) => at.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The portfolio's rows by name, once they are these (the table renders after each call).</summary>
    private static IReadOnlyList<string> Rows(Browser browser, params string[] expected)
    {
        IReadOnlyList<string> Read() => [.. browser.Driver.FindElements(By.CssSelector("table.portfolio tbody th a")).Select(a => a.Text)];
        try
        {
            AppPage.Wait(browser.Driver).Until(_ => Read().SequenceEqual(expected));
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Equal(expected, Read());
        }

        return Read();
    }

    private static IWebElement Header(Browser browser, string text) =>
        browser.Driver.FindElement(By.XPath($"//table[contains(@class,'portfolio')]//thead//th[.//a[starts-with(normalize-space(),'{text}')]]"));
}
