using System.Net;
using System.Text.RegularExpressions;
using Brm.Api.Tests.Support;
using Brm.V1;
using Marten;
using static Brm.Api.Tests.OutreachDeliveryTests;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The service mailing a real SMTP server, links pointing at a public address, feedback rounds looked at every 300 ms.</summary>
public class FeedbackLinkFixture : MailFixture
{
    public const string LinkBase = "https://brm.example";

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        .. base.Settings(), new("Feedback:LinkBaseUrl", LinkBase),
    ];
}

/// <summary>As <see cref="FeedbackLinkFixture"/>, with feedback rounds (reminders, periodic requests) looked at every 300 ms.</summary>
public sealed class FeedbackRoundsFixture : FeedbackLinkFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [.. base.Settings(), new("Feedback:Rounds", "true"), new("Outreach:DigestInterval", "00:00:00.300")];
}

/// <summary>Personal feedback links, end to end over HTTP: the mail, the form, the answer, the refusals, the reminder.</summary>
public sealed partial class FeedbackLinkTests(FeedbackLinkFixture api) : IClassFixture<FeedbackLinkFixture>
{
    private static readonly DateTimeOffset Asked = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_stakeholder_gets_one_personal_link_and_answers_through_it_as_themselves_or_anonymously()
    {
        api.Clock.Set(Asked);
        var (department, ids) = await DepartmentAsync(api, ("Ana", "ana"), ("Ben", "ben"), ("Cy", null));
        var request = (await api.Feedback.RequestFeedbackAsync(EmailedAsk(department, ids, FeedbackScale.Nps, anonymous: true))).FeedbackRequest;
        Assert.Equal((FeedbackDelivery.Email, Channel.Email, true), (request.Delivery, request.Channel, request.AllowAnonymous));

        var links = await LinksAsync(api, department, 2);
        // A mail arrives before its outcome is recorded: wait for the last of the three.
        await Until(async () => (await api.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = request.Id }))
            .FeedbackRequest.Invitations.All(i => i.Status != InvitationStatus.Pending));
        var sent = await api.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = request.Id });
        Assert.Equal(
            [InvitationStatus.Sent, InvitationStatus.Sent, InvitationStatus.Failed],
            sent.FeedbackRequest.Invitations.Select(i => i.Status));
        Assert.Contains("no email address", sent.FeedbackRequest.Invitations[2].FailureReason, StringComparison.Ordinal);

        // The link carries nothing readable: no id, no address, no name.
        var anaLink = links[Address("ana", department)];
        Assert.StartsWith($"{FeedbackLinkFixture.LinkBase}/feedback/", anaLink, StringComparison.Ordinal);
        Assert.DoesNotContain(ids["Ana"], anaLink, StringComparison.OrdinalIgnoreCase);
        // (Not her three-letter name: a random token contains "ana" about once in 800 links.)
        Assert.DoesNotContain(Address("ana", department), anaLink, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(department.Id, anaLink, StringComparison.OrdinalIgnoreCase);

        using var browser = api.BrowserClient();
        var form = await OpenAsync(browser, anaLink);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("How likely are you to recommend", form.Html, StringComparison.Ordinal);
        Assert.Equal(11, RadioInputs().Matches(form.Html).Count);
        Assert.Contains("default-src 'none'", form.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", form.Headers.GetValues("Referrer-Policy").Single());

        var answered = await AnswerAsync(browser, anaLink, form.FormToken, ("rating", "9"), ("comment", "Fixes <b>came</b> fast"));
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Contains("Thank you", answered.Html, StringComparison.Ordinal);

        var benLink = links[Address("ben", department)];
        var benForm = await OpenAsync(browser, benLink);
        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(browser, benLink, benForm.FormToken, ("rating", "3"), ("anonymous", "true"))).Status);

        var feedback = (await api.Feedback.ListFeedbackAsync(new() { FeedbackRequestId = request.Id })).Feedback.OrderBy(f => f.Rating).ToList();
        Assert.Equal(2, feedback.Count);
        Assert.Equal(("", 3, Channel.WebForm, "feedback-link"), (feedback[0].FromStakeholderId, feedback[0].Rating, feedback[0].Channel, feedback[0].RecordedBy));
        Assert.Equal((ids["Ana"], 9, "Fixes <b>came</b> fast", $"feedback-link:{ids["Ana"]}"),
            (feedback[1].FromStakeholderId, feedback[1].Rating, feedback[1].Comment, feedback[1].RecordedBy));

        var after = await api.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = request.Id });
        Assert.Equal(2.0 / 3, after.ResponseRate, 6);
        Assert.Equal([true, true, false], after.FeedbackRequest.Invitations.Select(i => i.Answered));
        Assert.Equal((1, 1), (after.Scores.Promoters, after.Scores.Detractors));
        var stats = (await api.Feedback.GetFeedbackLoopStatsAsync(new() { RelationshipId = department.Id })).Stats;
        var november = Assert.Single(stats.MonthlyResponseRates);
        Assert.Equal((2026, 11, 3, 2), (november.Year, november.Month, november.PeopleAsked, november.Responses));
        Assert.Equal(0.0, stats.Scores.Nps); // one promoter, one detractor

        // The link is used up: opening or submitting again shows it, and records nothing.
        var events = await api.EventCountAsync();
        var again = await OpenAsync(browser, anaLink);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("already answered", again.Html, StringComparison.Ordinal);
        var twice = await AnswerAsync(browser, anaLink, form.FormToken, ("rating", "10"));
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal(events, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_tampered_an_expired_and_a_withdrawn_link_each_get_their_page_and_change_nothing()
    {
        api.Clock.Set(Asked);
        var (department, ids) = await DepartmentAsync(api, ("Dee", "dee"), ("Eve", "eve"));
        var request = (await api.Feedback.RequestFeedbackAsync(EmailedAsk(department, ids, FeedbackScale.Csat))).FeedbackRequest;
        var links = await LinksAsync(api, department, 2);
        var dee = links[Address("dee", department)];
        var eve = links[Address("eve", department)];
        using var browser = api.BrowserClient();
        var events = await api.EventCountAsync();

        var token = dee[(dee.LastIndexOf('/') + 1)..];
        var tampered = $"{FeedbackLinkFixture.LinkBase}/feedback/{token[..^3]}{(token[^3] == 'A' ? 'B' : 'A')}{token[^2..]}";
        var invalid = await OpenAsync(browser, tampered);
        Assert.Equal(HttpStatusCode.NotFound, invalid.Status);
        Assert.Contains("This link is not valid", invalid.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await OpenAsync(browser, $"{FeedbackLinkFixture.LinkBase}/feedback/not-a-link")).Status);

        api.Clock.Set(Asked.AddDays(31));
        var expired = await OpenAsync(browser, dee);
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Contains("This link has expired", expired.Html, StringComparison.Ordinal);

        api.Clock.Set(Asked.AddDays(1));
        var open = await OpenAsync(browser, eve);
        Assert.Equal(HttpStatusCode.OK, open.Status);
        var revoked = await api.Feedback.RevokeFeedbackRequestAsync(new() { FeedbackRequestId = request.Id, Reason = "Sent to the wrong list" });
        Assert.NotNull(revoked.FeedbackRequest.RevokedAt);
        Assert.Equal(revoked.Version, (await api.Feedback.RevokeFeedbackRequestAsync(new() { FeedbackRequestId = request.Id })).Version);
        var withdrawn = await AnswerAsync(browser, eve, open.FormToken, ("rating", "4"));
        Assert.Equal(HttpStatusCode.Gone, withdrawn.Status);
        Assert.Contains("This request was withdrawn", withdrawn.Html, StringComparison.Ordinal);

        Assert.Equal(events + 1, await api.EventCountAsync()); // the revocation, nothing else
        Assert.Empty((await api.Feedback.ListFeedbackAsync(new() { FeedbackRequestId = request.Id })).Feedback);
    }

    [Fact]
    public async Task A_bad_answer_shows_what_to_correct_next_to_its_field_and_records_nothing()
    {
        api.Clock.Set(Asked);
        var (department, ids) = await DepartmentAsync(api, ("Fay", "fay"));
        await api.Feedback.RequestFeedbackAsync(EmailedAsk(department, ids, FeedbackScale.Csat));
        var fay = (await LinksAsync(api, department, 1)).Values.Single();
        using var browser = api.BrowserClient();
        var form = await OpenAsync(browser, fay);
        Assert.DoesNotContain("anonymous", form.Html, StringComparison.OrdinalIgnoreCase);
        var events = await api.EventCountAsync();

        var offScale = await AnswerAsync(browser, fay, form.FormToken, ("rating", "9"));
        Assert.Equal(HttpStatusCode.BadRequest, offScale.Status);
        Assert.Contains("rating must be between 1 and 5", offScale.Html, StringComparison.Ordinal);

        var empty = await AnswerAsync(browser, fay, form.FormToken, ("comment", "   "));
        Assert.Contains("a comment or a rating is required", empty.Html, StringComparison.Ordinal);

        var control = await AnswerAsync(browser, fay, form.FormToken, ("rating", "4"), ("comment", "bell\u0007"));
        Assert.Equal(HttpStatusCode.BadRequest, control.Status);
        Assert.Contains("must not hold control characters", control.Html, StringComparison.Ordinal);

        var tooLong = await AnswerAsync(browser, fay, form.FormToken, ("comment", new string('x', 4001)));
        Assert.Contains("at most 4000 characters", tooLong.Html, StringComparison.Ordinal);

        var notAllowed = await AnswerAsync(browser, fay, form.FormToken, ("rating", "4"), ("anonymous", "true"));
        Assert.Contains("asks for answers under your name", notAllowed.Html, StringComparison.Ordinal);

        // The comment is shown back escaped, never as markup.
        var reflected = await AnswerAsync(browser, fay, form.FormToken, ("rating", "7"), ("comment", "<script>alert(1)</script>"));
        Assert.DoesNotContain("<script>alert(1)</script>", reflected.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", reflected.Html, StringComparison.Ordinal);

        // Without the form's antiforgery token (a page on another site posting to the link), a page, and nothing recorded.
        using var elsewhere = api.BrowserClient();
        var forged = await elsewhere.PostAsync(Path(fay), new FormUrlEncodedContent([new("rating", "5")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("This form has expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(events, await api.EventCountAsync());
    }

    internal static RequestFeedbackRequest EmailedAsk(Relationship department, IReadOnlyDictionary<string, string> ids, FeedbackScale scale, bool anonymous = false) => new()
    {
        RelationshipId = department.Id,
        AudienceStakeholderIds = { ids.Values },
        Periodic = Cadence.Monthly,
        Scale = scale,
        Delivery = FeedbackDelivery.Email,
        AllowAnonymous = anonymous,
    };

    /// <summary>A department of its own (a unique name, so its mail is told apart), with these people (an address from their key, or none).</summary>
    internal static async Task<(Relationship Department, IReadOnlyDictionary<string, string> Ids)> DepartmentAsync(ApiFixture api, params (string Name, string? Key)[] people)
    {
        var department = await api.Relationships.RegisterAsync($"Finance {Guid.NewGuid():N}"[..20]);
        var ids = new Dictionary<string, string>();
        foreach (var (name, key) in people)
        {
            var added = await api.Relationships.AddStakeholderAsync(Stakeholder(department, name, StakeholderLevel.Staff, key is null ? "" : Address(key, department)));
            ids[name] = added.StakeholderId;
            department = added.Relationship;
        }

        return (department, ids);
    }

    internal static string Address(string key, Relationship department) => $"{key}.{department.Code}@finance.example";

    internal static IReadOnlyList<(MimeKit.MimeMessage Message, IReadOnlyList<string> Recipients)> MailsTo(MailFixture api, Relationship department) =>
        [.. api.Smtp.Messages().Where(m => m.Recipients.Any(r => r.Contains(department.Code, StringComparison.Ordinal)))];

    /// <summary>The links mailed to the department, by recipient, once <paramref name="count"/> have arrived.</summary>
    internal static async Task<IReadOnlyDictionary<string, string>> LinksAsync(MailFixture api, Relationship department, int count)
    {
        await Until(() => Task.FromResult(MailsTo(api, department).Count >= count));
        // A mail arrives before its outcome is recorded: wait for every outcome, so that what a test counts next stands still.
        var relationshipId = Guid.Parse(department.Id);
        await Until(async () =>
        {
            await using var session = api.Store.QuerySession();
            var requests = await session.Query<Brm.Domain.Feedback.FeedbackRequest>().Where(r => r.RelationshipId == relationshipId).ToListAsync();
            return requests.All(r => r.Invitations.All(i => i.Status != Brm.Domain.Feedback.InvitationStatus.Pending));
        });
        var mails = MailsTo(api, department);
        Assert.Equal(count, mails.Count);
        return mails.ToDictionary(m => m.Recipients.Single(), m => LinkIn(m.Message));
    }

    internal static string LinkIn(MimeKit.MimeMessage message) => Link().Match(message.TextBody ?? "").Value;

    internal static string Path(string link) => link[FeedbackLinkFixture.LinkBase.Length..];

    internal sealed record Page(HttpStatusCode Status, string Html, string FormToken, System.Net.Http.Headers.HttpResponseHeaders Headers);

    internal static async Task<Page> OpenAsync(HttpClient browser, string link)
    {
        var response = await browser.GetAsync(Path(link));
        var html = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, html, FormToken().Match(html).Groups[1].Value, response.Headers);
    }

    internal static async Task<Page> AnswerAsync(HttpClient browser, string link, string formToken, params (string Name, string Value)[] fields)
    {
        var response = await browser.PostAsync(Path(link), new FormUrlEncodedContent(
            [new("form-token", formToken), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
        var html = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, html, FormToken().Match(html).Groups[1].Value, response.Headers);
    }

    [GeneratedRegex(@"https://brm\.example/feedback/[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    [GeneratedRegex("name=\"form-token\" type=\"hidden\" value=\"([^\"]+)\"|name=\"form-token\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("type=\"radio\"")]
    private static partial Regex RadioInputs();
}

/// <summary>Small budgets for the form: 3 answers per link and 8 pages per address per minute.</summary>
public sealed class FormBudgetFixture : FeedbackLinkFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [.. base.Settings(), new("Limits:FormAnswersPerLinkPerMinute", "3"), new("Limits:FormRequestsPerMinute", "8")];
}

/// <summary>The form's rate limits: per link, and per address, each over budget a 429 page with Retry-After, recording nothing.</summary>
public sealed class FeedbackFormLimitTests(FormBudgetFixture api) : IClassFixture<FormBudgetFixture>
{
    [Fact]
    public async Task A_link_and_an_address_over_their_budgets_get_a_429_page()
    {
        var department = await api.Relationships.RegisterAsync($"Legal {Guid.NewGuid():N}"[..16]);
        var ids = new Dictionary<string, string>();
        foreach (var key in (string[])["ida", "jo"])
        {
            var added = await api.Relationships.AddStakeholderAsync(Stakeholder(department, key, StakeholderLevel.Staff, FeedbackLinkTests.Address(key, department)));
            ids[key] = added.StakeholderId;
            department = added.Relationship;
        }

        await api.Feedback.RequestFeedbackAsync(FeedbackLinkTests.EmailedAsk(department, ids, FeedbackScale.Rating));
        var links = (await FeedbackLinkTests.LinksAsync(api, department, 2)).Values.ToList();
        using var browser = api.BrowserClient();
        var events = await api.EventCountAsync();

        // Three bad answers through one link (page loads count against the link's budget too), then refused.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await FeedbackLinkTests.AnswerAsync(browser, links[0], "", ("rating", "0"))).Status);
        }

        var overLink = await FeedbackLinkTests.AnswerAsync(browser, links[0], "", ("rating", "4"));
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, overLink.Status);
        Assert.Contains("Too many attempts", overLink.Html, StringComparison.Ordinal);
        Assert.True(overLink.Headers.RetryAfter is not null);

        // The other link still works, until the address has loaded its 8 pages in the minute (5 so far).
        Assert.Equal(HttpStatusCode.OK, (await FeedbackLinkTests.OpenAsync(browser, links[1])).Status);
        var more = new List<HttpStatusCode>();
        while (more.Count < 8 && more.LastOrDefault() != HttpStatusCode.TooManyRequests)
        {
            more.Add((await browser.GetAsync(Brm.Api.Feedback.Links.FeedbackForm.StylesheetPath)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, more[^1]);
        Assert.InRange(more.Count(s => s == HttpStatusCode.OK), 1, 3);
        Assert.Equal(events, await api.EventCountAsync());
    }
}

/// <summary>The one reminder, with feedback rounds on (a class of its own: rounds would act on other tests' requests as their clocks move).</summary>
public sealed class FeedbackReminderTests(FeedbackRoundsFixture api) : IClassFixture<FeedbackRoundsFixture>
{
    private static readonly DateTimeOffset Asked = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task One_reminder_goes_to_those_who_have_not_answered_after_a_week_and_never_a_second()
    {
        api.Clock.Set(Asked);
        var (department, ids) = await FeedbackLinkTests.DepartmentAsync(api, ("Gus", "gus"), ("Hal", "hal"));
        var request = (await api.Feedback.RequestFeedbackAsync(FeedbackLinkTests.EmailedAsk(department, ids, FeedbackScale.Rating))).FeedbackRequest;
        var links = await FeedbackLinkTests.LinksAsync(api, department, 2);
        using var browser = api.BrowserClient();
        var gus = links[FeedbackLinkTests.Address("gus", department)];
        Assert.Equal(HttpStatusCode.OK, (await FeedbackLinkTests.AnswerAsync(browser, gus, (await FeedbackLinkTests.OpenAsync(browser, gus)).FormToken, ("rating", "5"))).Status);

        api.Clock.Set(Asked.AddDays(8));
        await Until(() => Task.FromResult(FeedbackLinkTests.MailsTo(api, department).Count == 3));
        var ticks = await TicksAsync();
        await Until(async () => await TicksAsync() >= ticks + 3);

        var mails = FeedbackLinkTests.MailsTo(api, department);
        var reminder = Assert.Single(mails, m => (m.Message.Subject ?? "").StartsWith("Reminder:", StringComparison.Ordinal));
        Assert.Equal([FeedbackLinkTests.Address("hal", department)], reminder.Recipients);
        await Until(async () => (await api.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = request.Id }))
            .FeedbackRequest.Invitations.Select(i => i.Reminder).SequenceEqual([InvitationStatus.Unspecified, InvitationStatus.Sent]));

        // The reminder's link works (a new token for the same person and request).
        var halReminded = FeedbackLinkTests.LinkIn(reminder.Message);
        Assert.Equal(HttpStatusCode.OK, (await FeedbackLinkTests.OpenAsync(browser, halReminded)).Status);
    }

    private async Task<long> TicksAsync()
    {
        await using var session = api.Store.QuerySession();
        return (await session.LoadAsync<Brm.Api.Outreach.DigestClock>(Brm.Api.Outreach.DigestClock.SingleId))?.Runs ?? 0;
    }
}
