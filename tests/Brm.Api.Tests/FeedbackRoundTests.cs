using System.Net;
using Brm.Api.Tests.Support;
using Brm.Domain.Feedback;
using Brm.V1;
using Marten;
using static Brm.Api.Tests.OutreachDeliveryTests;
using static Brm.Api.Tests.Support.Builders;
using FeedbackDelivery = Brm.V1.FeedbackDelivery;
using FeedbackScale = Brm.V1.FeedbackScale;

namespace Brm.Api.Tests;

/// <summary>
/// A periodic request asks again by itself at the start of each period, once, with two nodes looking (each with the
/// clock moved across the month boundary), each new request with its own links.
/// </summary>
public sealed class FeedbackRoundTests : IAsyncLifetime
{
    private SmtpSink _smtp = null!;
    private string _connectionString = "";

    /// <summary>One node: the service on the shared database, mailing the shared server, looking at rounds every 200 ms.</summary>
    private sealed class Node(string connectionString, SmtpSink smtp) : ApiFixture
    {
        protected override Task<string> ConnectionStringAsync() => Task.FromResult(connectionString);

        protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [
            .. MailFixture.MailSettings(smtp, ["00:00:00.500"]), new("Feedback:Rounds", "true"), new("Outreach:DigestInterval", "00:00:00.200"),
            new("Feedback:ReminderAfter", "20.00:00:00"), new("Feedback:LinkBaseUrl", FeedbackLinkFixture.LinkBase),
        ];
    }

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        _connectionString = await TestPostgres.CreateDatabaseAsync();
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task A_monthly_request_asks_again_once_at_the_start_of_the_next_month_with_two_nodes_running()
    {
        Node a = new(_connectionString, _smtp), b = new(_connectionString, _smtp);
        var november = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
        a.Clock.Set(november);
        b.Clock.Set(november);
        await a.InitializeAsync();
        await b.InitializeAsync();
        try
        {
            var department = await a.Relationships.RegisterAsync("Finance");
            var ids = new List<string>();
            foreach (var name in (string[])["ana", "ben"])
            {
                var added = await a.Relationships.AddStakeholderAsync(Stakeholder(department, name, StakeholderLevel.Staff, $"{name}@finance.example"));
                ids.Add(added.StakeholderId);
            }

            var first = (await a.Feedback.RequestFeedbackAsync(new RequestFeedbackRequest
            {
                RelationshipId = department.Id, AudienceStakeholderIds = { ids }, Periodic = Cadence.Monthly, Scale = FeedbackScale.Nps,
                Delivery = FeedbackDelivery.Email,
            })).FeedbackRequest;
            Assert.Equal((first.Id, new Date { Year = 2026, Month = 11, Day = 1 }), (first.SeriesId, first.PeriodStart));
            await Until(() => Task.FromResult(_smtp.Messages().Count == 2));

            // Still November: nothing more, however many ticks.
            await TicksAsync(a, 4);
            Assert.Equal(1, await SeriesCountAsync(a, first.Id));

            var december = new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.Zero);
            a.Clock.Set(december);
            b.Clock.Set(december);
            await Until(() => Task.FromResult(_smtp.Messages().Count == 4));
            await TicksAsync(a, 4);
            await TicksAsync(b, 4);

            Assert.Equal(2, await SeriesCountAsync(a, first.Id));
            Assert.Equal(4, _smtp.Messages().Count);
            var ended = (await a.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = first.Id })).FeedbackRequest;
            Assert.True(ended.Continued);
            var next = (await a.Feedback.GetRequestForFeedbackAsync(new() { FeedbackRequestId = ended.NextFeedbackRequestId })).FeedbackRequest;
            Assert.Equal((first.Id, new Date { Year = 2026, Month = 12, Day = 1 }, FeedbackScale.Nps, "feedback-rounds"),
                (next.SeriesId, next.PeriodStart, next.Scale, next.RequestedBy));
            Assert.Equal(ids, next.AudienceStakeholderIds);

            // Each period's mail carries its own request's links: the December ones open December's form.
            var links = _smtp.Messages().Select(m => FeedbackLinkTests.LinkIn(m.Message)).ToList();
            Assert.Equal(4, links.Distinct().Count());
            using var browser = a.BrowserClient();
            Assert.All(links, link => Assert.Equal(HttpStatusCode.OK, FeedbackLinkTests.OpenAsync(browser, link).GetAwaiter().GetResult().Status));

            // Revoking the series' current request ends the series: January asks nobody.
            await a.Feedback.RevokeFeedbackRequestAsync(new() { FeedbackRequestId = next.Id, Reason = "Moving to quarterly" });
            var january = new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
            a.Clock.Set(january);
            b.Clock.Set(january);
            await TicksAsync(a, 4);
            Assert.Equal(2, await SeriesCountAsync(a, first.Id));
            Assert.Equal(4, _smtp.Messages().Count);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static async Task<int> SeriesCountAsync(ApiFixture node, string seriesId)
    {
        await using var session = node.Store.QuerySession();
        var id = Guid.Parse(seriesId);
        return await session.Query<FeedbackRequest>().CountAsync(r => r.SeriesId == id);
    }

    /// <summary>Waits for <paramref name="count"/> more outreach ticks (on whichever node runs them).</summary>
    private static async Task TicksAsync(ApiFixture node, int count)
    {
        async Task<long> Runs()
        {
            await using var session = node.Store.QuerySession();
            return (await session.LoadAsync<Brm.Api.Outreach.DigestClock>(Brm.Api.Outreach.DigestClock.SingleId))?.Runs ?? 0;
        }

        var start = await Runs();
        await Until(async () => await Runs() >= start + count);
    }
}
