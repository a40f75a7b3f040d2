using System.Net;
using Brm.Api.Feedback.Links;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using static Brm.Api.Tests.OutreachDeliveryTests;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// The whole path of a personal link in a real browser: the service on Kestrel (gRPC on HTTP/2, the form on HTTP/1.1),
/// mailing a real SMTP server; the link is taken from the mail and opened in headless Chromium, the form filled in with
/// the keyboard and the mouse, and every page checked with axe-core (no serious or critical violation). The screenshots
/// in docs/screenshots are this test's (run it with BRM_SCREENSHOTS=docs/screenshots to refresh them).
/// </summary>
public sealed class FeedbackFormBrowserTests : IAsyncLifetime
{
    private SmtpSink _smtp = null!;
    private TcpHost _host = null!;
    private string _http1 = "";
    private string _grpc = "";

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        _host = await TcpHost.StartAsync([
            ("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Grpc:Protocols", "Http2"),
            ("Kestrel:Endpoints:Http1:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:Http1:Protocols", "Http1"),
            ("Feedback:LinkBaseUrl", FeedbackLinkFixture.LinkBase), ("Feedback:Rounds", "false"), ("Outreach:Digests", "false"),
            .. MailFixture.MailSettings(_smtp, ["00:00:00.500"]).Select(s => (s.Key, s.Value)),
        ]);

        // Each address speaks one protocol: the one that answers HTTP/1.1 serves the form.
        using var http = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var address in _host.Addresses)
        {
            try
            {
                (await http.GetAsync($"{address}{FeedbackForm.StylesheetPath}")).EnsureSuccessStatusCode();
                _http1 = address;
            }
            catch (HttpRequestException)
            {
                _grpc = address;
            }
        }

        Assert.NotEqual("", _http1);
        Assert.NotEqual("", _grpc);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_stakeholder_opens_the_mailed_link_answers_in_the_browser_and_every_refusal_has_its_page()
    {
        var channel = _host.ChannelAs("admin.tests", Role.Admin, _grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var feedback = new FeedbackService.FeedbackServiceClient(channel);
        var finance = await relationships.RegisterAsync("Finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Manager, "ana@finance.example"));
        var ben = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff, "ben@finance.example"));
        var request = (await feedback.RequestFeedbackAsync(new RequestFeedbackRequest
        {
            RelationshipId = finance.Id, AudienceStakeholderIds = { ana.StakeholderId, ben.StakeholderId }, Periodic = Cadence.Monthly, Scale = FeedbackScale.Nps,
            Delivery = FeedbackDelivery.Email, AllowAnonymous = true,
        })).FeedbackRequest;

        await Until(() => Task.FromResult(_smtp.Messages().Count == 2));
        var mailed = FeedbackLinkTests.LinkIn(_smtp.Messages().Single(m => m.Recipients.Contains("ana@finance.example")).Message);
        var link = _http1 + FeedbackLinkTests.Path(mailed);

        using var browser = new Browser();
        browser.Open(link);
        Assert.Equal("Finance: your feedback", browser.Heading);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        browser.Screenshot("feedback-form");

        // Keyboard only: Tab reaches every control, each with a visible focus ring, and Space and Enter answer.
        var body = browser.Driver.FindElement(By.TagName("body"));
        body.SendKeys(Keys.Tab);
        var focused = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("rating-first", focused.GetAttribute("id"));
        Assert.NotEqual("none", focused.GetCssValue("outline-style"));
        for (var i = 0; i < 9; i++)
        {
            // The arrow keys move through the group and choose: nine steps right of 0 is 9.
            browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.ArrowRight);
        }

        focused = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal(("9", true), (focused.GetAttribute("value"), focused.Selected));
        focused.SendKeys(Keys.Tab);
        focused = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("comment", focused.GetAttribute("id"));
        focused.SendKeys("Month-end went smoothly; <thanks> to the service desk.");
        focused.SendKeys(Keys.Tab);
        Assert.Equal("anonymous", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Tab);
        var submit = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("button", submit.TagName);
        browser.Submit(() => submit.SendKeys(Keys.Enter));

        Assert.Equal("Thank you", browser.Heading);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        var answer = Assert.Single((await feedback.ListFeedbackAsync(new() { FeedbackRequestId = request.Id })).Feedback);
        Assert.Equal((ana.StakeholderId, 9, "Month-end went smoothly; <thanks> to the service desk.", Channel.WebForm),
            (answer.FromStakeholderId, answer.Rating, answer.Comment, answer.Channel));

        browser.Open(link);
        Assert.Equal("You have already answered", browser.Heading);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        browser.Screenshot("feedback-used");

        var token = link[(link.LastIndexOf('/') + 1)..];
        browser.Open($"{link[..(link.LastIndexOf('/') + 1)]}{token[..^4]}{(token[^4] == 'x' ? 'y' : 'x')}{token[^3..]}");
        Assert.Equal("This link is not valid", browser.Heading);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        browser.Screenshot("feedback-invalid");

        // A link the service sealed itself, for a request whose links have closed (Ben has not answered).
        var tokens = _host.Services.GetRequiredService<FeedbackLinkTokens>();
        var expired = tokens.Write(new FeedbackLink(Guid.Parse(request.Id), Guid.Parse(ben.StakeholderId), DateTimeOffset.UtcNow.AddDays(-1)));
        browser.Open($"{_http1}/feedback/{expired}");
        Assert.Equal("This link has expired", browser.Heading);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        browser.Screenshot("feedback-expired");
    }

    [Fact]
    public async Task A_mistake_is_shown_next_to_its_field_and_announced()
    {
        var channel = _host.ChannelAs("admin.tests", Role.Admin, _grpc);
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var finance = await relationships.RegisterAsync("Procurement");
        var ben = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ben Ode", StakeholderLevel.Staff, "ben@procurement.example"));
        await new FeedbackService.FeedbackServiceClient(channel).RequestFeedbackAsync(new RequestFeedbackRequest
        {
            RelationshipId = finance.Id, AudienceStakeholderIds = { ben.StakeholderId }, Periodic = Cadence.Quarterly, Scale = FeedbackScale.Csat,
            Delivery = FeedbackDelivery.Email, Question = "How satisfied are you with IT this quarter?",
        });
        await Until(() => Task.FromResult(_smtp.Messages().Count(m => m.Recipients.Contains("ben@procurement.example")) == 1));
        var link = _http1 + FeedbackLinkTests.Path(FeedbackLinkTests.LinkIn(_smtp.Messages().Single(m => m.Recipients.Contains("ben@procurement.example")).Message));

        using var browser = new Browser();
        browser.Open(link);
        Assert.Equal(5, browser.Driver.FindElements(By.CssSelector("input[type=radio]")).Count);
        Assert.Empty(browser.Driver.FindElements(By.Id("anonymous")));
        browser.Submit(() => browser.Driver.FindElement(By.CssSelector("button[type=submit]")).Click());

        Assert.Equal("Procurement: your feedback", browser.Heading);
        var alert = browser.Driver.FindElement(By.CssSelector("[role=alert]"));
        Assert.Contains("a comment or a rating is required", alert.Text, StringComparison.Ordinal);
        Assert.Contains("a comment or a rating is required", browser.Driver.FindElement(By.Id("rating-error")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.SeriousAccessibilityViolations());
        browser.Screenshot("feedback-mistake");

        browser.Driver.FindElement(By.CssSelector("label[for=rating-4]")).Click();
        browser.Submit(() => browser.Driver.FindElement(By.CssSelector("button[type=submit]")).Click());
        Assert.Equal("Thank you", browser.Heading);
    }
}
