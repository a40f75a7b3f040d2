using Brm.Api.Security;
using Brm.Api.Tests.Support;
using Brm.V1;
using Google.Rpc;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>A service whose callers have budgets small enough to reach in a loop (a bucket refills one call per 20 s).</summary>
public sealed class SmallBudgetsFixture : ApiFixture
{
    public const int Budget = 3;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Limits:ReadsPerMinute", $"{Budget}"),
        new("Limits:CommandsPerMinute", $"{Budget}"),
        new("Limits:ReportsPerMinute", $"{Budget}"),
    ];
}

/// <summary>Budgets per caller and kind of call (docs/security-and-limits.md, "Rate limits").</summary>
public sealed class RateLimitTests(SmallBudgetsFixture api) : IClassFixture<SmallBudgetsFixture>
{
    [Fact]
    public async Task A_caller_over_its_read_budget_is_resource_exhausted_with_retry_info_and_another_caller_is_not()
    {
        var greedy = api.RelationshipsAs("reporter.greedy", Role.Reporter);
        for (var call = 0; call < SmallBudgetsFixture.Budget; call++)
        {
            await greedy.ListRelationshipsAsync(new ListRelationshipsRequest());
        }

        var failure = await FailsWith(StatusCode.ResourceExhausted, greedy.ListRelationshipsAsync(new ListRelationshipsRequest()));
        var retry = failure.GetRpcStatus()?.GetDetail<RetryInfo>();
        await api.RelationshipsAs("reporter.patient", Role.Reporter).ListRelationshipsAsync(new ListRelationshipsRequest());

        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.Contains("reads per minute", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_reads_and_reports_have_separate_budgets()
    {
        var admin = new ReportingService.ReportingServiceClient(api.ChannelAs("admin.budgets", Role.Admin));
        var relationships = api.RelationshipsAs("admin.budgets", Role.Admin);
        var finance = await relationships.RegisterAsync("Budgets");
        for (var call = 1; call < SmallBudgetsFixture.Budget; call++)
        {
            await relationships.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = finance.Id, Name = $"Budgets {call}" });
        }

        for (var call = 0; call < SmallBudgetsFixture.Budget; call++)
        {
            await admin.GetPortfolioAsync(new GetPortfolioRequest { Manager = "nobody", Sort = PortfolioSort.Name });
        }

        var command = await FailsWith(StatusCode.ResourceExhausted,
            relationships.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = finance.Id, Name = "One too many" }));
        var report = await FailsWith(StatusCode.ResourceExhausted, admin.GetPortfolioAsync(new GetPortfolioRequest { Manager = "nobody", Sort = PortfolioSort.Name }));
        var read = await relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = finance.Id });

        Assert.Contains("commands per minute", command.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("reports per minute", report.Status.Detail, StringComparison.Ordinal);
        Assert.Equal($"Budgets {SmallBudgetsFixture.Budget - 1}", read.Relationship.Name);
    }

    [Fact]
    public async Task An_http_json_route_over_budget_is_429_with_retry_after()
    {
        using var http = api.HttpWith(TestTokens.For("reporter.json", Role.Reporter));
        for (var call = 0; call < SmallBudgetsFixture.Budget; call++)
        {
            using var ok = await http.GetAsync("/v1/relationships");
            Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await http.GetAsync("/v1/relationships");

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Calls_without_a_valid_token_share_the_budget_of_their_address()
    {
        var anonymous = new RelationshipService.RelationshipServiceClient(api.ChannelWith(null));
        for (var call = 0; call < SmallBudgetsFixture.Budget; call++)
        {
            await FailsWith(StatusCode.Unauthenticated, anonymous.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = Guid.NewGuid().ToString() }));
        }

        var forged = new RelationshipService.RelationshipServiceClient(api.ChannelWith(TestTokens.Expired("admin.forged", Role.Admin)));
        var failure = await FailsWith(StatusCode.ResourceExhausted, forged.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = Guid.NewGuid().ToString() }));

        Assert.NotNull(failure.GetRpcStatus()?.GetDetail<RetryInfo>());
    }
}
