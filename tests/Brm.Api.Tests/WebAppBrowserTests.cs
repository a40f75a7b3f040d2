using System.Net;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using OpenQA.Selenium;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// The BRM's web app (src/Brm.Web) in a real browser: the service on Kestrel (gRPC on HTTP/2; the app, its gRPC-Web
/// calls and sign-in on HTTP/1.1) against PostgreSQL, headless Chromium driven by Selenium, every screen checked with
/// axe-core (no serious or critical violation). The screenshots in docs/screenshots/web-*.png are this test's (run it with
/// BRM_SCREENSHOTS=docs/screenshots to refresh them).
/// </summary>
public sealed class WebAppBrowserTests : IAsyncLifetime
{
    private WebAppHost _app = null!;
    private TcpHost _host = null!;
    private string _web = "";
    private string _grpc = "";

    public async Task InitializeAsync()
    {
        _app = await WebAppHost.StartAsync();
        (_host, _web, _grpc) = (_app.Host, _app.Web, _app.Grpc);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_brm_signs_in_clears_an_untold_decline_from_the_agenda_declines_feedback_and_logs_a_conversation()
    {
        var channel = _host.ChannelAs("admin.tests", Role.Admin, _grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var feedback = new FeedbackService.FeedbackServiceClient(channel);
        var meetings = new MeetingService.MeetingServiceClient(channel);
        var finance = await relationships.RegisterAsync("Finance", manager: "brm.jane", code: "finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive, "ana@finance.example"));
        var ben = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff, "ben@finance.example"));
        var laptops = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ana.StakeholderId, Channel = Channel.Email, Comment = "A second laptop for everyone who travels",
        })).Feedback;
        await feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = laptops.Id });
        await feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = laptops.Id, Reason = FeedbackBuilders.BudgetReason });
        var vpn = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ben.StakeholderId, Channel = Channel.Chat, Comment = "Move the VPN to a new provider", Rating = 2,
        })).Feedback;

        await relationships.RecordInformationNeedAsync(new RecordInformationNeedRequest
        {
            RelationshipId = finance.Id, Description = "Outages that touch month-end close", Priority = Priority.High, RaisedByStakeholderId = ana.StakeholderId,
        });
        await relationships.RecordCommunicationPreferenceAsync(new RecordCommunicationPreferenceRequest { RelationshipId = finance.Id, Channel = Channel.Email, Audience = "finance leads" });
        var commitments = new CommitmentService.CommitmentServiceClient(channel);
        var vpnPromise = (await commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(finance, "Faster VPN for the month-end close", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5)))).Commitment;

        using var browser = new Browser();
        var page = new AppPage(browser, _web);

        // Signed out, any screen leads to sign-in; signed in, back to it.
        page.Open("agenda");
        page.WaitForHeading("Sign in");
        page.Accessible();
        browser.Screenshot("web-sign-in");
        page.SignIn("brm.jane", "BRM");
        page.WaitForHeading("Agenda");

        // The agenda: the untold decline first, one click from where it is answered.
        var untold = page.WaitFor(By.CssSelector("li.entry.untold a"));
        Assert.Contains("Finance", untold.Text);
        Assert.Contains("laptop", untold.Text);
        page.Accessible();
        browser.Screenshot("web-agenda");
        Assert.True(browser.FitsWidth(390));
        browser.DesktopWidth();

        // The brief: everything before Finance's meeting on one screen.
        page.Open("departments/finance");
        page.WaitForHeading("Finance: the brief");
        page.WaitForText("#people + p.warning", "Ana Lima");
        Assert.Contains("Ben Ode", page.WaitFor(By.CssSelector("#people + p.warning")).Text);
        Assert.Contains("Outages that touch month-end close", page.WaitFor(By.XPath("//section[@aria-labelledby='questions']")).Text);
        Assert.Contains("nothing in the plan answers it", page.WaitFor(By.XPath("//section[@aria-labelledby='questions']")).Text);
        var promise = page.WaitFor(By.CssSelector("section[aria-labelledby=open-commitments] li.entry"));
        Assert.Contains("Faster VPN", promise.Text);
        Assert.EndsWith($"/departments/finance/commitments#commitment-{vpnPromise.Id}", promise.FindElement(By.TagName("a")).GetAttribute("href"));
        Assert.Contains("laptop", page.WaitFor(By.CssSelector("section[aria-labelledby=open-feedback] li.entry.untold")).Text);
        Assert.Equal(9, browser.Driver.FindElements(By.CssSelector("section[aria-labelledby=signals] tbody tr")).Count);
        page.Accessible();
        browser.Screenshot("web-brief", fullPage: true);

        // On a phone's width the brief still reads: nothing but a wide table's own box scrolls sideways.
        Assert.True(browser.FitsWidth(390));
        browser.Screenshot("web-brief-phone");
        browser.DesktopWidth();

        // They confirm their needs and preferences are unchanged: the brief says when they were last asked.
        var asked = (await relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship.TwoQuestionsAskedAt;
        page.WaitFor(By.XPath("//button[normalize-space()='They confirmed these are unchanged']")).Click();
        page.WaitForText(".done", "confirmed their needs and preferences");
        Assert.Contains("(today)", page.WaitFor(By.XPath("//section[@aria-labelledby='questions']/p")).Text);
        Assert.True((await relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id })).Relationship.TwoQuestionsAskedAt.ToDateTimeOffset() > asked.ToDateTimeOffset());

        // The untold decline, one click from the brief.
        page.WaitFor(By.CssSelector("section[aria-labelledby=open-feedback] li.entry.untold a")).Click();
        page.WaitForHeading("Feedback from Finance");
        page.Accessible();
        browser.Screenshot("web-feedback");

        // Tell the business why: the untold decline's form is open on its item.
        var laptopItem = page.WaitFor(By.Id($"feedback-{laptops.Id}"));
        laptopItem.FindElement(By.Id($"response-{laptops.Id}")).SendKeys("Told Ana at the finance team meeting: no budget this year, reviewed in April.");
        laptopItem.FindElement(By.XPath($".//select[@id='channel-{laptops.Id}']/option[normalize-space()='team meeting']")).Click();
        laptopItem.FindElement(By.XPath(".//button[normalize-space()='Record the response']")).Click();
        page.WaitForText(".done", "the loop is closed");
        var told = (await feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = laptops.Id })).Feedback;
        Assert.Equal(FeedbackStatus.Responded, told.Status);
        Assert.Equal(Channel.TeamMeeting, told.Response.Channel);
        Assert.Equal("brm.jane", told.Response.By);

        // Acknowledge the VPN feedback; then a bad reason to decline it is refused with the field's message next to it, and changes nothing.
        page.WaitFor(By.XPath($"//article[@id='feedback-{vpn.Id}']//button[normalize-space()='Acknowledge']")).Click();
        page.WaitForText(".done", "Acknowledged");
        var vpnItem = page.WaitFor(By.Id($"feedback-{vpn.Id}"));
        vpnItem.FindElement(By.XPath(".//summary[normalize-space()='Decline with a reason']")).Click();
        vpnItem.FindElement(By.Id($"reason-{vpn.Id}")).SendKeys("no");
        vpnItem.FindElement(By.XPath(".//button[normalize-space()='Decline']")).Click();
        var error = page.WaitFor(By.CssSelector($"#feedback-{vpn.Id} .field-error"));
        Assert.Contains("reason", error.Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector(".problem[role=alert]")));
        page.Accessible();
        browser.Screenshot("web-field-error");
        Assert.Equal(FeedbackStatus.Acknowledged, (await feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = vpn.Id })).Feedback.Status);

        // A real reason declines it; it is now an untold decline, on the agenda until the business is told.
        var reason = page.WaitFor(By.Id($"reason-{vpn.Id}"));
        reason.Clear();
        reason.SendKeys("The VPN contract runs until 2028 and cannot be ended early without a penalty");
        page.WaitFor(By.CssSelector($"#feedback-{vpn.Id} button.primary")).Click();
        page.WaitForText(".done", "Declined");
        Assert.Equal(FeedbackStatus.Declined, (await feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = vpn.Id })).Feedback.Status);
        page.Open("agenda");
        page.WaitForHeading("Agenda");
        Assert.Contains("VPN", page.WaitFor(By.CssSelector("li.entry.untold a")).Text);
        Assert.DoesNotContain(browser.Driver.FindElements(By.CssSelector("li.entry.untold a")), a => a.Text.Contains("laptop", StringComparison.Ordinal));

        // Log a conversation from a stakeholder's agenda entry, in a few keystrokes.
        page.Open("departments/finance/log");
        page.WaitForHeading("Log a conversation with Finance");
        page.WaitFor(By.XPath("//label[contains(normalize-space(),'Ana Lima')]/input")).Click();
        page.WaitFor(By.Id("topic")).SendKeys("Quarter close");
        page.WaitFor(By.Id("shared")).SendKeys("The new expenses tool goes live on the 1st.");
        page.WaitFor(By.Id("raised")).SendKeys("concern: Month-end close is slow on the VPN\nrequest: Training on the expenses tool");
        page.Accessible();
        browser.Screenshot("web-log-conversation");
        page.WaitFor(By.XPath("//button[normalize-space()='Log it']")).Click();
        page.WaitForText(".done", "Logged: 1 person, 2 points raised");
        var logged = (await meetings.ListMeetingsAsync(new ListMeetingsRequest { RelationshipId = finance.Id })).Meetings.Single();
        var meeting = (await meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = logged.Id })).Meeting;
        Assert.Equal("Quarter close", meeting.Topic);
        Assert.Equal(["Month-end close is slow on the VPN", "Training on the expenses tool"], meeting.Conversation.BusinessRaised.Select(p => p.Text));
        Assert.Equal(RaisedPointKind.Concern, meeting.Conversation.BusinessRaised[0].Kind);
        Assert.Equal("brm.jane", meeting.Conversation.RecordedBy);

        // A reporter reads the same screens and is offered no change.
        page.SignOut();
        page.SignIn("rita.reports", "Reporter");
        page.Open("departments/finance/feedback");
        page.WaitFor(By.Id($"feedback-{vpn.Id}"));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("div.actions")));
        Assert.DoesNotContain(browser.Driver.FindElements(By.TagName("button")), b => b.Text is "Acknowledge" or "Decline" or "Record the response");
        page.Open("departments/finance/log");
        page.WaitForText("main", "You can read this department's record");
        Assert.Empty(browser.Driver.FindElements(By.Id("raised")));
        page.Accessible();
    }

    [Fact]
    public async Task The_app_is_served_at_its_screens_addresses_and_the_apis_unknown_paths_stay_404()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_web) };
        foreach (var screen in new[] { "/", "/agenda", "/departments/finance", "/departments/finance/feedback" })
        {
            var answer = await http.GetAsync(screen);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("_framework/blazor.webassembly.js", await answer.Content.ReadAsStringAsync());
            Assert.Contains("'wasm-unsafe-eval'", answer.Headers.GetValues("Content-Security-Policy").Single());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/brm.v1.Nothing/Here")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await http.PostAsync("/agenda", null)).StatusCode); // screens are read, not posted to
    }
}
