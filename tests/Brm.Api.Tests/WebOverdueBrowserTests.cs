using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using OpenQA.Selenium;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// What is overdue, as the web app shows it, in a real browser against the real service, whose clock the test sets so that
/// a promise and a plan item fall behind: each marked overdue and listed first on its screen, both on the agenda's overdue
/// section, and each leaving it once it is kept (the promise delivered late, the communication recorded).
/// </summary>
public sealed class WebOverdueBrowserTests : IAsyncLifetime
{
    private const string Vpn = "Month-end close on the new VPN";
    private const string Training = "Training on the expenses tool";
    private const string News = "IT news for finance";

    private readonly TestClock _clock = new();
    private WebAppHost _app = null!;

    public async Task InitializeAsync()
    {
        _clock.Set(DateTimeOffset.UtcNow);
        _app = await WebAppHost.StartAsync(_clock);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_overdue_promise_and_plan_item_are_marked_and_first_on_their_screens_and_the_agenda_until_they_are_kept()
    {
        var now = _clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var channel = _app.Host.ChannelAs("admin.tests", Role.Admin, _app.Grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var commitments = new CommitmentService.CommitmentServiceClient(channel);
        var plans = new CommunicationPlanService.CommunicationPlanServiceClient(channel);

        // Forty days ago: a promise due ten days ago, one due in twenty days, and a weekly item nobody has kept since.
        _clock.Set(now.AddDays(-40));
        var finance = await relationships.RegisterAsync("Finance", manager: "brm.jane", code: "finance");
        await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive, "ana@finance.example"));
        var vpn = (await commitments.MakeCommitmentAsync(Commitment(finance, Vpn, today.AddDays(-10), owner: "brm.jane"))).Commitment;
        var training = (await commitments.MakeCommitmentAsync(Commitment(finance, Training, today.AddDays(20), owner: "brm.jane"))).Commitment;
        var news = (await plans.AddPlanItemAsync(PlanBuilders.Item(finance.Id, News, Cadence.Weekly, Channel.Email, today.AddDays(-40)))).PlanItemId;
        _clock.Set(now);

        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);

        // The agenda: both in its overdue section, the promise's due day named; the later promise is not there.
        page.Open("agenda");
        page.SignIn("brm.jane", "BRM");
        page.WaitForHeading("Agenda");
        var overdue = page.WaitFor(By.XPath("//section[h2[starts-with(normalize-space(),'Overdue')]]"));
        Assert.Equal(["Finance: " + News, "Finance: " + Vpn], overdue.FindElements(By.CssSelector("li.entry.overdue a")).Select(a => a.Text).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(overdue.FindElements(By.CssSelector("li a")), a => a.Text.Contains(Training, StringComparison.Ordinal));
        page.Accessible();

        // The commitments screen: the overdue figure, the overdue section first, the promise marked with its due day.
        overdue.FindElement(By.XPath($".//a[contains(normalize-space(),'{Vpn}')]")).Click();
        page.WaitForHeading("Commitments with Finance");
        page.WaitForText("p.figures .tag.bad", "1 overdue");
        var sections = browser.Driver.FindElements(By.CssSelector("main section h2")).Select(h => h.Text).ToList();
        Assert.StartsWith("Overdue (1)", sections[0], StringComparison.Ordinal);
        page.WaitForText($"#commitment-{vpn.Id}.overdue .facts", $"Overdue: was due {Format(today.AddDays(-10))}");
        Assert.DoesNotContain("overdue", browser.Driver.FindElement(By.Id($"commitment-{training.Id}")).GetAttribute("class"), StringComparison.Ordinal);
        page.Accessible();

        // Delivered now: late, no longer overdue, and off the agenda's overdue section.
        page.WaitFor(By.XPath($"//article[@id='commitment-{vpn.Id}']//summary[normalize-space()='Deliver']")).Click();
        page.WaitFor(By.Id($"note-{vpn.Id}")).SendKeys("Ran on the new VPN, ten days after the promised day");
        page.WaitFor(By.XPath($"//article[@id='commitment-{vpn.Id}']//button[normalize-space()='Mark delivered']")).Click();
        page.WaitForText(".done", "Delivered");
        page.WaitForText($"#commitment-{vpn.Id} .status", "Delivered late");
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("p.figures .tag.bad")));
        Assert.DoesNotContain("overdue", browser.Driver.FindElement(By.Id($"commitment-{vpn.Id}")).GetAttribute("class"), StringComparison.Ordinal);
        var delivered = (await commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = vpn.Id })).Commitment;
        Assert.Equal((CommitmentStatus.Delivered, false, false), (delivered.Status, delivered.DeliveredOnTime, delivered.Overdue));

        // The plan: the item overdue, first, its record-a-communication panel open, its missed weeks listed.
        page.Open($"departments/finance/plan#item-{news}");
        page.WaitForHeading("Communication plan for Finance");
        page.WaitForText($"#item-{news} .facts", "Overdue: was due");
        page.WaitForText($"#item-{news} ul.periods", "missed");
        Assert.NotNull(page.WaitFor(By.XPath($"//article[@id='item-{news}']//details[@open]/summary[normalize-space()='Record a communication']")));
        page.Accessible();

        // A communication recorded: the item is no longer overdue, and the agenda has nothing overdue left.
        var summary = page.WaitFor(By.Id($"{news}-summary"));
        summary.Clear();
        summary.SendKeys("IT news: the VPN is live for the month-end close");
        page.WaitFor(By.XPath($"//article[@id='item-{news}']//button[normalize-space()='Record it']")).Click();
        page.WaitForText(".done", "went out");
        // It counts, late, for the last week it missed; this week's is due at its end, so the item is no longer overdue.
        var item = (await plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan.Items.Single();
        Assert.False(item.Overdue);
        Assert.Contains(item.RecentPeriods, p => p.Outcome == PeriodOutcome.Late);
        page.WaitForText($"#item-{news}.due .facts", $"Due {Format(Days(item.NextDueOn))}");
        page.WaitForText($"#item-{news} ul.periods", "late");
        page.Open("agenda");
        page.WaitForHeading("Agenda");
        page.WaitForText("main", "entries");
        Assert.Empty(browser.Driver.FindElements(By.XPath("//section[h2[starts-with(normalize-space(),'Overdue')]]")));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("li.entry.overdue")));
    }

    private static DateOnly Days(Date date) => new(date.Year, date.Month, date.Day);

    /// <summary>A day as the app writes it (Format.Day: "Fri 4 Dec 2026").</summary>
    private static string Format(DateOnly day) => day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
