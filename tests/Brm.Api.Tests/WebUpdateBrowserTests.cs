using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using OpenQA.Selenium;
using static Brm.Api.Tests.OutreachDeliveryTests;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// The web app's monthly update composer (src/Brm.Web/Pages/MonthlyUpdate.razor) in a real browser, the service mailing
/// a real SMTP server (<see cref="SmtpSink"/>): the draft composed from the record, a refused edit with its field's
/// message beside the field, the update sent, one message per recipient, each recipient's status on the screen, and a
/// reporter offered no send. Every state is checked with axe-core; docs/screenshots/web-update*.png are this test's (run
/// it with BRM_SCREENSHOTS=docs/screenshots to refresh them).
/// </summary>
public sealed class WebUpdateBrowserTests : IAsyncLifetime
{
    private const string Laptops = "A second laptop for everyone who travels";
    private const string Vpn = "Faster VPN for the month-end close";

    private SmtpSink _smtp = null!;
    private WebAppHost _app = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        _app = await WebAppHost.StartAsync([.. MailFixture.MailSettings(_smtp, ["00:00:00.500"]).Select(s => (s.Key, s.Value))]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_brm_composes_the_update_from_the_record_edits_it_sends_it_and_sees_each_recipients_delivery()
    {
        var channel = _app.Host.ChannelAs("admin.tests", Role.Admin, _app.Grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var feedback = new FeedbackService.FeedbackServiceClient(channel);
        var commitments = new CommitmentService.CommitmentServiceClient(channel);
        var plans = new CommunicationPlanService.CommunicationPlanServiceClient(channel);
        var outreach = new OutreachService.OutreachServiceClient(channel);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var finance = await relationships.RegisterAsync("Finance", manager: "brm.jane", code: "finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive, "ana@finance.example"));
        await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff, "ben@finance.example"));
        await relationships.AddStakeholderAsync(Stakeholder(finance, "Cy Park", StakeholderLevel.Staff));
        await plans.AddPlanItemAsync(PlanBuilders.Item(finance.Id, "Monthly IT update", Cadence.Monthly, Channel.Email, today, audience: "finance leads"));
        var promise = (await commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, Vpn, today.AddDays(5)))).Commitment;
        await commitments.DeliverCommitmentAsync(new DeliverCommitmentRequest { CommitmentId = promise.Id, Note = "new gateway live" });
        var laptops = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ana.StakeholderId, Channel = Channel.Email, Comment = Laptops,
        })).Feedback;
        await feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = laptops.Id });
        await feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = laptops.Id, Reason = FeedbackBuilders.BudgetReason });

        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);
        page.Open("departments/finance/update");
        page.SignIn("brm.jane", "BRM");
        page.WaitForHeading("Monthly update for Finance");

        // The draft, composed when the screen opens: the delivered promise and the decline with its reason, to both
        // stakeholders with an address by default, and shown in a sandboxed frame as the mail will look.
        var subject = page.WaitFor(By.Id("subject"));
        Assert.StartsWith("IT update for Finance", subject.GetAttribute("value"), StringComparison.Ordinal);
        Assert.Contains("1 promise delivered, 1 decline", page.WaitFor(By.CssSelector("section.composer > p.muted")).Text);
        Assert.True(Recipient(browser, "Ana Lima").Selected);
        Assert.True(Recipient(browser, "Ben Ode").Selected);
        Assert.Contains("Without an address: Cy Park", page.WaitFor(By.CssSelector("fieldset")).Text);
        var preview = page.WaitFor(By.CssSelector("section.composer iframe.mail-preview"));
        Assert.Equal("", preview.GetAttribute("sandbox"));
        browser.Driver.SwitchTo().Frame(preview);
        var mail = browser.Driver.FindElement(By.TagName("body")).Text;
        browser.Driver.SwitchTo().DefaultContent();
        Assert.Contains(Vpn, mail);
        Assert.Contains(Laptops, mail);
        Assert.Contains(FeedbackBuilders.BudgetReason, mail);
        page.Accessible();
        browser.Screenshot("web-update");

        // An edit the service refuses: the field's message beside the field, and nothing is sent.
        subject.Clear();
        page.WaitFor(By.XPath("//button[normalize-space()='Send the update']")).Click();
        var error = page.WaitFor(By.XPath("//input[@id='subject']/following-sibling::p[@class='field-error']"));
        Assert.Contains("subject", error.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector(".problem[role=alert]")));
        page.Accessible();
        Assert.Empty((await outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id })).Updates);

        // Edited and sent: one message per recipient, and the screen shows each recipient's delivery.
        subject.SendKeys("Finance and IT this month");
        var body = page.WaitFor(By.Id("body"));
        body.SendKeys(Keys.Control + Keys.End);
        body.SendKeys("\n\nThank you for the feedback: keep it coming.");
        page.WaitFor(By.XPath("//button[normalize-space()='Send the update']")).Click();
        page.WaitForText(".done", "Sent to 2 recipients");
        await Until(() => Task.FromResult(_smtp.Messages().Count >= 2));
        foreach (var address in new[] { "ana@finance.example", "ben@finance.example" })
        {
            page.WaitFor(By.XPath($"//tr[@class='delivery'][td[normalize-space()='{address}']]//span[normalize-space()='delivered']"));
        }

        var messages = _smtp.Messages();
        Assert.Equal(["ana@finance.example", "ben@finance.example"], messages.Select(m => Assert.Single(m.Recipients)).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal("Finance and IT this month", m.Message.Subject));
        Assert.All(messages, m => Assert.Contains("Thank you for the feedback: keep it coming.", m.Message.TextBody, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Contains(FeedbackBuilders.BudgetReason, m.Message.HtmlBody, StringComparison.Ordinal));
        var sent = Assert.Single((await outreach.ListUpdatesAsync(new ListUpdatesRequest { RelationshipId = finance.Id })).Updates);
        Assert.All(sent.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal("brm.jane", sent.SentBy);
        Assert.Equal(FeedbackStatus.Responded, (await feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = laptops.Id })).Feedback.Status);
        page.WaitForText($"#update-{sent.Id}", "2 delivered");
        Assert.Empty(browser.Driver.FindElements(By.Id("subject")));
        page.Accessible();
        browser.Screenshot("web-update-sent");

        // A reporter reads the department's updates and is offered no compose or send.
        page.SignOut();
        page.SignIn("rita.reports", "Reporter");
        page.Open("departments/finance/update");
        page.WaitForText("main", "You can read this department's updates");
        page.WaitForText($"#update-{sent.Id}", "Finance and IT this month");
        Assert.DoesNotContain(browser.Driver.FindElements(By.TagName("button")), b => b.Text is "Send the update" or "Compose the draft");
        Assert.Empty(browser.Driver.FindElements(By.Id("subject")));

        // They open it: what was sent and to whom, each recipient delivered.
        page.WaitFor(By.XPath($"//tr[@id='update-{sent.Id}']//button")).Click();
        page.Until(d => d.FindElements(By.CssSelector("tr.delivery")).Count == 2);
        Assert.All(browser.Driver.FindElements(By.CssSelector("tr.delivery")), row => Assert.Contains("delivered", row.Text, StringComparison.Ordinal));
        page.Accessible();
    }

    private static IWebElement Recipient(Browser browser, string name) =>
        browser.Driver.FindElement(By.XPath($"//fieldset//label[contains(normalize-space(),'{name}')]/input"));
}
