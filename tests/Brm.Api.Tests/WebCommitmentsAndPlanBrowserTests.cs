using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using OpenQA.Selenium;
using static Brm.Api.Tests.Support.Builders;
using static Brm.Api.Tests.Support.CommitmentBuilders;

namespace Brm.Api.Tests;

/// <summary>
/// The web app's commitments and communication plan screens in a real browser, against the real service and PostgreSQL:
/// a commitment through its whole life to the business being told, a plan item added and kept, refused input shown beside
/// its field, a reporter offered no change, axe-core on each state. Its screenshots are docs/screenshots/web-commitments.png
/// and web-plan.png (run it with BRM_SCREENSHOTS=docs/screenshots to refresh them).
/// </summary>
public sealed class WebCommitmentsAndPlanBrowserTests : IAsyncLifetime
{
    private WebAppHost _app = null!;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task InitializeAsync() => _app = await WebAppHost.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_brm_keeps_a_commitment_to_the_business_being_told_and_keeps_a_plan_item_and_a_reporter_only_reads()
    {
        var channel = _app.Host.ChannelAs("admin.tests", Role.Admin, _app.Grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var commitments = new CommitmentService.CommitmentServiceClient(channel);
        var plans = new CommunicationPlanService.CommunicationPlanServiceClient(channel);
        var finance = await relationships.RegisterAsync("Finance", manager: "brm.jane", code: "finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive, "ana@finance.example"));
        await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff, "ben@finance.example"));
        await relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest { RelationshipId = finance.Id, Channel = Channel.Email, Audience = "all staff" });
        var training = (await commitments.MakeCommitmentAsync(Commitment(finance, "Training on the expenses tool", Today.AddDays(30)))).Commitment;

        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);
        page.Open("departments/finance/commitments");
        page.SignIn("brm.jane", "BRM");
        page.WaitForHeading("Commitments with Finance");
        page.WaitFor(By.Id($"commitment-{training.Id}"));
        page.Accessible();

        // A commitment without a title is refused, its message beside the title, and nothing is made.
        page.WaitFor(By.XPath("//summary[normalize-space()='Make a new commitment']")).Click();
        SetDate(browser, page.WaitFor(By.Id("new-due")), Today.AddDays(14));
        page.WaitFor(By.Id("new-source-note")).SendKeys("Asked for by Ana at the quarter close");
        page.WaitFor(By.XPath("//button[normalize-space()='Make the commitment']")).Click();
        var titleError = page.WaitFor(By.XPath("//input[@id='new-title']/following-sibling::p[@class='field-error']"));
        Assert.Contains("title", titleError.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector(".problem[role=alert]")));
        page.Accessible();
        Assert.Single((await commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id })).Commitments);

        // With a title it is made, open, owned by the BRM who made it.
        page.WaitFor(By.Id("new-title")).SendKeys("Month-end close on the new VPN");
        page.WaitFor(By.XPath("//button[normalize-space()='Make the commitment']")).Click();
        page.WaitForText(".done", "Commitment made");
        var made = (await commitments.ListCommitmentsAsync(new ListCommitmentsRequest { RelationshipId = finance.Id })).Commitments.Single(c => c.Id != training.Id);
        Assert.Equal(("Month-end close on the new VPN", "brm.jane", CommitmentDirection.ItToBusiness), (made.Title, made.Owner, made.Direction));
        Assert.Equal("Asked for by Ana at the quarter close", made.SourceNote);
        var item = $"#commitment-{made.Id}";
        page.WaitForText($"{item} .status", "Open");

        // Started.
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//button[normalize-space()='Start']")).Click();
        page.WaitForText(".done", "Started");
        page.WaitForText($"{item} .status", "In progress");

        // Renegotiated with a reason: the move shows on it, and that the business is yet to hear of it.
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//summary[normalize-space()='Renegotiate the due date']")).Click();
        SetDate(browser, page.WaitFor(By.Id($"due-{made.Id}")), Today.AddDays(21));
        page.WaitFor(By.Id($"reason-{made.Id}")).SendKeys("The provider moved the cut-over by a week");
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//button[normalize-space()='Renegotiate']")).Click();
        page.WaitForText(".done", "Renegotiated");
        page.WaitForText($"{item} ul.renegotiations", "The provider moved the cut-over by a week");
        page.WaitForText(item, "Business not yet told");
        page.WaitForText(item, "renegotiated once");

        // Delivered: on time, closed, and the form to tell the business is open on it.
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//summary[normalize-space()='Deliver']")).Click();
        page.WaitFor(By.Id($"note-{made.Id}")).SendKeys("Month-end ran on the new VPN without a drop");
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//button[normalize-space()='Mark delivered']")).Click();
        page.WaitForText(".done", "Delivered");
        page.WaitForText($"{item} .status", "Delivered on time");
        page.WaitForText("section[aria-labelledby=untold]", "Month-end close on the new VPN");
        Assert.Empty(browser.Driver.FindElements(By.XPath($"//article[@id='commitment-{made.Id}']//button[normalize-space()='Start' or normalize-space()='Mark delivered']")));
        page.Accessible();

        // The business told: recorded with who, how and what, and the commitment leaves what needs doing.
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//label[contains(normalize-space(),'Ana Lima')]/input")).Click();
        page.WaitFor(By.XPath($"//select[@id='channel-{made.Id}']/option[normalize-space()='face to face']")).Click();
        page.WaitFor(By.Id($"message-{made.Id}")).SendKeys("Told Ana: month-end ran on the new VPN, a week later than first promised.");
        page.WaitFor(By.XPath($"//article[@id='commitment-{made.Id}']//button[normalize-space()='Record that they were told']")).Click();
        page.WaitForText(".done", "the business was told");
        Assert.Empty(browser.Driver.FindElements(By.Id($"commitment-{made.Id}")));
        page.WaitFor(By.XPath("//p[@class='filter']//input")).Click();
        page.WaitForText(item, "Business told (delivered)");
        page.WaitForText(item, "Ana Lima");
        page.Accessible();
        ScreenshotFromTop(browser, "web-commitments");
        var kept = (await commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = made.Id })).Commitment;
        Assert.Equal((CommitmentStatus.Delivered, true, true, 1), (kept.Status, kept.DeliveredOnTime, kept.OutcomeTold, kept.Renegotiations));
        Assert.Equal(Day(Today.AddDays(21)), kept.DueDate);
        Assert.Equal(
            [CommitmentChangeKind.Made, CommitmentChangeKind.Started, CommitmentChangeKind.Renegotiated, CommitmentChangeKind.Delivered, CommitmentChangeKind.BusinessInformed],
            kept.History.Select(h => h.Kind));
        var told = kept.History[^1];
        Assert.Equal(("brm.jane", Channel.FaceToFace, CommitmentOutcome.Delivered), (told.By, told.Channel, told.Outcome));
        Assert.Equal([ana.StakeholderId], told.StakeholderIds);

        // The plan: an item without its "what" is refused beside the field, and nothing is added.
        page.Open("departments/finance/plan");
        page.WaitForHeading("Communication plan for Finance");
        page.WaitForText("main", "No items yet");
        page.Accessible();
        page.WaitFor(By.XPath("//summary[normalize-space()='Add an item']")).Click();
        page.WaitFor(By.Id("add-audience")).SendKeys("all staff");
        page.WaitFor(By.XPath("//select[@id='add-cadence']/option[normalize-space()='weekly']")).Click();
        Assert.Equal("email (preferred)", browser.Driver.ExecuteScript("return arguments[0].selectedOptions[0].text", page.WaitFor(By.Id("add-channel"))));
        page.WaitFor(By.XPath("//button[normalize-space()='Add the item']")).Click();
        var whatError = page.WaitFor(By.XPath("//input[@id='add-what']/following-sibling::p[@class='field-error']"));
        Assert.Contains("what", whatError.Text, StringComparison.OrdinalIgnoreCase);
        page.Accessible();
        Assert.Empty((await plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan.Items);

        // Added, weekly from today: due at the end of this week, and on the BRM's agenda, one click from the item.
        page.WaitFor(By.Id("add-what")).SendKeys("IT news for finance");
        page.WaitFor(By.XPath("//button[normalize-space()='Add the item']")).Click();
        page.WaitForText(".done", "Item added");
        var added = (await plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan.Items.Single();
        Assert.Equal((Cadence.Weekly, Channel.Email, "all staff", "brm.jane"), (added.Cadence, added.Channel, added.Audience, added.Owner));
        Assert.Equal(Day(Today.AddDays(6)), added.NextDueOn);
        page.WaitForText($"#item-{added.Id} .facts", "Due ");
        page.Open("agenda");
        page.WaitForHeading("Agenda");
        page.WaitFor(By.XPath("//li[contains(@class,'entry')]/a[contains(normalize-space(),'IT news for finance')]")).Click();
        page.WaitForHeading("Communication plan for Finance");
        page.WaitFor(By.CssSelector($"#item-{added.Id}.targeted"));

        // A communication recorded against it: sent for this period, due next at the end of next week, off the agenda.
        page.WaitFor(By.XPath($"//article[@id='item-{added.Id}']//summary[normalize-space()='Record a communication']")).Click();
        var summary = page.WaitFor(By.Id($"{added.Id}-summary"));
        summary.Clear();
        summary.SendKeys("IT news: the VPN cut-over and the expenses tool training dates");
        page.WaitFor(By.XPath($"//article[@id='item-{added.Id}']//button[normalize-space()='Record it']")).Click();
        page.WaitForText(".done", "went out");
        page.WaitForText($"#item-{added.Id} .facts", "Sent for this period");
        page.WaitForText("section[aria-labelledby=sent] table", "the VPN cut-over");
        page.Accessible();
        ScreenshotFromTop(browser, "web-plan");
        var plan = (await plans.GetPlanAsync(new GetPlanRequest { RelationshipId = finance.Id })).Plan;
        Assert.Equal(Day(Today.AddDays(13)), plan.Items.Single().NextDueOn);
        var sent = plan.RecentCommunications.Single();
        Assert.Equal((added.Id, "brm.jane", Channel.Email), (sent.PlanItemId, sent.DeliveredBy, sent.Channel));
        page.Open("agenda");
        page.WaitForHeading("Agenda");
        page.WaitForText("main", "entries");
        Assert.DoesNotContain(browser.Driver.FindElements(By.CssSelector("li.entry a")), a => a.Text.Contains("IT news", StringComparison.Ordinal));

        // A reporter reads both screens and is offered no change.
        page.SignOut();
        page.SignIn("rita.reports", "Reporter");
        page.Open("departments/finance/commitments");
        page.WaitFor(By.Id($"commitment-{training.Id}"));
        page.WaitForText("main", "You can read this department's commitments");
        AssertNoWrites(browser, "Make a new commitment");
        page.Accessible();
        page.Open("departments/finance/plan");
        page.WaitFor(By.Id($"item-{added.Id}"));
        page.WaitForText("main", "You can read this department's plan");
        AssertNoWrites(browser, "Add an item");
        page.Accessible();
    }

    /// <summary>Sets a date input as a date picker would (its value, then the change event the app listens to).</summary>
    private static void SetDate(Browser browser, IWebElement input, DateOnly day) =>
        browser.Driver.ExecuteScript(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", input, day.ToString("yyyy-MM-dd"));

    private static void ScreenshotFromTop(Browser browser, string name)
    {
        browser.Driver.ExecuteScript("window.scrollTo(0, 0)");
        browser.Screenshot(name);
    }

    private static void AssertNoWrites(Browser browser, string newItem)
    {
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("div.actions")));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("main form")));
        Assert.DoesNotContain(browser.Driver.FindElements(By.TagName("summary")), s => s.Text == newItem);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("main button.primary")));
    }
}
