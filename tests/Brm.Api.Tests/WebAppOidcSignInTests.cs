using System.Net;
using System.Text;
using System.Text.Json;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Net.Client;
using OpenQA.Selenium;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// The web app's sign-in at an OpenID Connect issuer, in a real browser against a real provider (OpenIddict's server, in
/// the test process): the authorization code flow with PKCE run by the app's authentication library, the provider's
/// access token on the app's gRPC-Web calls (the service validates it with the provider's published keys), sign-out
/// at the provider; and the settings that wire it (docs/web.md#sign-in, docs/DEPLOYMENT.md).
/// </summary>
public sealed class WebAppOidcSignInTests : IAsyncLifetime
{
    private TestIdentityProvider _provider = null!;
    private WebAppHost _app = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestIdentityProvider.StartAsync();
        _app = await WebAppHost.StartAsync(
            ("Authentication:Schemes:Bearer:Authority", _provider.Authority),
            ("Authentication:Schemes:Bearer:RequireHttpsMetadata", "false"), // the provider is on loopback http
            ("Auth:NameClaimType", TestIdentityProvider.NameClaim), ("Auth:RoleClaimType", TestIdentityProvider.RoleClaim),
            ("Auth:AllowDevTokens", "false"),
            ("Web:Oidc:ClientId", TestIdentityProvider.ClientId), ("Web:Oidc:DisplayName", "Test Provider"));
        _provider.AppOrigin = _app.Web;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_brm_signs_in_at_the_issuer_with_pkce_works_with_its_access_token_signs_out_and_a_reporter_is_offered_no_change()
    {
        // Finance, managed by the provider's user, with a decline nobody told the business about: the agenda's first entry.
        var channel = GrpcChannel.ForAddress(_app.Grpc, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(
                TestTokens.For("admin.tests", Role.Admin, TestIdentityProvider.NameClaim, TestIdentityProvider.RoleClaim), new SocketsHttpHandler()),
        });
        var relationships = new RelationshipService.RelationshipServiceClient(channel);
        var feedback = new FeedbackService.FeedbackServiceClient(channel);
        var finance = await relationships.RegisterAsync("Finance", manager: "olga.oidc", code: "finance");
        var ana = await relationships.AddStakeholderAsync(Stakeholder(finance, "Ana Lima", StakeholderLevel.Executive, "ana@finance.example"));
        var laptops = (await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            RelationshipId = finance.Id, FromStakeholderId = ana.StakeholderId, Channel = Channel.Email, Comment = "A second laptop for everyone who travels",
        })).Feedback;
        await feedback.AcknowledgeFeedbackAsync(new AcknowledgeFeedbackRequest { FeedbackId = laptops.Id });
        await feedback.DeclineFeedbackAsync(new DeclineFeedbackRequest { FeedbackId = laptops.Id, Reason = FeedbackBuilders.BudgetReason });

        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);

        // Signed out, the agenda leads to sign-in, which offers the issuer and no development form (those tokens are refused here).
        page.Open("agenda");
        page.WaitForHeading("Sign in");
        var button = page.WaitFor(By.XPath("//button[normalize-space()='Sign in with Test Provider']"));
        Assert.Empty(browser.Driver.FindElements(By.Id("name")));
        page.Accessible();
        browser.Screenshot("web-sign-in-issuer");

        // To the provider and back: the browser asked for a code with a PKCE challenge (S256), then exchanged it.
        button.Click();
        page.WaitForHeading("Agenda");
        page.WaitForText("header .me", "olga.oidc (brm)");
        var asked = Assert.Single(_provider.AuthorizationRequests);
        Assert.Equal(TestIdentityProvider.ClientId, asked.ClientId);
        Assert.Equal("code", asked.ResponseType);
        Assert.Equal("S256", asked.CodeChallengeMethod);
        Assert.Equal(43, asked.CodeChallenge?.Length); // base64url of a SHA-256
        Assert.Equal($"{_app.Web}/authentication/login-callback", asked.RedirectUri);
        Assert.Contains("openid", asked.Scope?.Split(' ') ?? []);
        Assert.Equal("authorization_code", Assert.Single(_provider.TokenRequests));

        // The agenda came through gRPC-Web with the provider's access token: the service accepted it.
        Assert.Contains("laptop", page.WaitFor(By.CssSelector("li.entry.untold a")).Text);
        var session = JsonDocument.Parse((string?)browser.Driver.ExecuteScript("return sessionStorage.getItem('brm.session')") ?? "null").RootElement;
        var token = Claims(session.GetProperty("Token").GetString()!);
        Assert.Equal(_provider.Authority, token.GetProperty("iss").GetString());
        Assert.Equal("olga.oidc", token.GetProperty(TestIdentityProvider.NameClaim).GetString());
        page.Accessible();

        // The page's Content-Security-Policy let all of that happen (discovery, token and keys at the provider's origin).
        Assert.DoesNotContain(browser.Driver.Manage().Logs.GetLog("browser"), entry => entry.Message.Contains("Content Security Policy", StringComparison.Ordinal));

        // Their department's screens offer changes, as the service will allow them (its manager, a BRM).
        page.Open("departments/finance/feedback");
        page.WaitFor(By.XPath($"//article[@id='feedback-{laptops.Id}']//button[normalize-space()='Record the response']"));

        // Signing out goes through the provider and back to sign-in; the app no longer calls as them.
        page.WaitFor(By.XPath("//button[normalize-space()='Sign out']")).Click();
        page.WaitForHeading("Sign in");
        var signedOut = Assert.Single(_provider.EndSessionRequests);
        Assert.Equal($"{_app.Web}/authentication/logout-callback", signedOut.PostLogoutRedirectUri);
        Assert.Null(browser.Driver.ExecuteScript("return sessionStorage.getItem('brm.session')"));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("header .me")));
        page.Open("agenda");
        page.WaitForHeading("Sign in");

        // A reporter at the provider reads the same screens and is offered no change.
        _provider.User = ("rita.oidc", ["reporter"]);
        page.WaitFor(By.XPath("//button[normalize-space()='Sign in with Test Provider']")).Click();
        page.WaitForText("header .me", "rita.oidc (reporter)");
        page.Open("departments/finance/feedback");
        page.WaitFor(By.Id($"feedback-{laptops.Id}"));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("div.actions")));
        Assert.DoesNotContain(browser.Driver.FindElements(By.TagName("button")), b => b.Text is "Acknowledge" or "Decline" or "Record the response");
        Assert.Equal(2, _provider.AuthorizationRequests.Count);
    }

    [Fact]
    public async Task A_user_the_issuer_gives_no_role_is_told_why_and_not_signed_in()
    {
        _provider.User = ("nora.oidc", ["guest"]);
        using var browser = new Browser();
        var page = new AppPage(browser, _app.Web);

        page.Open("sign-in");
        page.WaitFor(By.XPath("//button[normalize-space()='Sign in with Test Provider']")).Click();
        page.WaitForText(".problem[role=alert]", "none of the roles admin, brm or reporter");
        page.WaitForHeading("Sign in");
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("header .me")));
        page.Accessible();
    }

    [Fact]
    public async Task Config_json_tells_the_app_the_issuer_and_the_csp_lets_it_reach_only_that_origin_besides_its_own()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_app.Web) };
        var answer = await http.GetAsync("/web/config.json");
        var config = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.False(config.GetProperty("devSignIn").GetBoolean());
        var oidc = config.GetProperty("oidc");
        Assert.Equal(_provider.Authority, oidc.GetProperty("authority").GetString());
        Assert.Equal(TestIdentityProvider.ClientId, oidc.GetProperty("clientId").GetString());
        Assert.Equal("openid profile", oidc.GetProperty("scope").GetString());
        Assert.Equal("code", oidc.GetProperty("responseType").GetString());
        Assert.Equal("Test Provider", oidc.GetProperty("displayName").GetString());
        Assert.Equal(TestIdentityProvider.NameClaim, oidc.GetProperty("nameClaim").GetString());
        Assert.Equal([TestIdentityProvider.RoleClaim], oidc.GetProperty("roleClaims").EnumerateArray().Select(c => c.GetString()));

        var page = await http.GetAsync("/agenda");
        var origin = new Uri(_provider.Authority).GetLeftPart(UriPartial.Authority);
        Assert.Contains($"connect-src 'self' {origin};", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Without_an_issuer_config_json_has_no_oidc_section_and_the_csp_connects_to_self_only()
    {
        await using var plain = await WebAppHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(plain.Web) };

        var config = JsonDocument.Parse(await http.GetStringAsync("/web/config.json")).RootElement;
        Assert.True(config.GetProperty("devSignIn").GetBoolean());
        Assert.False(config.TryGetProperty("oidc", out _));
        var page = await http.GetAsync("/agenda");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("connect-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData(null, "Web:Oidc:ClientId is set but no issuer is")]
    [InlineData("http://login.example.com/", "is not an https address")]
    public async Task A_client_id_without_a_usable_issuer_stops_the_service_with_one_line_saying_why(string? authority, string why)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = await TestPostgres.CreateDatabaseAsync(), ["Web__Oidc__ClientId"] = "brm-web",
        };
        if (authority is not null)
        {
            settings["Web__Oidc__Authority"] = authority;
        }

        await using var service = ServiceProcess.Start(settings);

        Assert.Equal(1, await service.ExitCodeAsync());
        Assert.Contains(why, service.Output, StringComparison.Ordinal);
    }

    private static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))).RootElement;
    }
}
