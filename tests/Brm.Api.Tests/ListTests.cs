using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

public sealed class ListTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly RelationshipService.RelationshipServiceClient _client = api.Relationships;

    [Fact]
    public async Task Pages_walk_every_relationship_once_in_name_order_whatever_the_case()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        string[] names = ["delta", "Alpha", "charlie", "Bravo", "echo", "Foxtrot", "golf"];
        foreach (var name in names)
        {
            await _client.RegisterAsync(name, manager);
        }

        var seen = new List<string>();
        var request = new ListRelationshipsRequest { Manager = manager, PageSize = 3 };
        var pages = 0;
        do
        {
            var page = await _client.ListRelationshipsAsync(request);
            seen.AddRange(page.Relationships.Select(r => r.Name));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Archived_relationships_are_left_out_unless_asked_for()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var kept = await _client.RegisterAsync("Kept", manager);
        var gone = await _client.RegisterAsync("Gone", manager);
        await _client.ArchiveRelationshipAsync(new ArchiveRelationshipRequest { RelationshipId = gone.Id, Reason = "department closed" });

        var active = await _client.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager });
        var all = await _client.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, IncludeArchived = true });

        Assert.Equal([kept.Id], active.Relationships.Select(r => r.Id));
        Assert.Equal(["Gone", "Kept"], all.Relationships.Select(r => r.Name));
        Assert.True(all.Relationships[0].Archived);
        Assert.Equal("", all.NextPageToken);
    }

    [Fact]
    public async Task A_summary_carries_counts_and_maturity()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var ops = await _client.RegisterAsync("Operations", manager);
        await _client.AddStakeholderAsync(Stakeholder(ops, "Fay", StakeholderLevel.Staff));
        await _client.AssessMaturityAsync(new AssessMaturityRequest
        {
            RelationshipId = ops.Id, Side = MaturitySide.Business, Level = MaturityLevel.TrustedAdvisor, Evidence = "survey",
        });

        var summary = Assert.Single((await _client.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager })).Relationships);

        Assert.Equal(1, summary.StakeholderCounts.Staff);
        Assert.Equal(MaturityLevel.TrustedAdvisor, summary.BusinessMaturity);
        Assert.Equal(MaturityLevel.Unspecified, summary.ItMaturity);
        Assert.Equal(3, summary.Version);
    }

    [Fact]
    public async Task A_page_token_for_other_filters_or_garbage_is_invalid_argument()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        await _client.RegisterAsync("One", manager);
        await _client.RegisterAsync("Two", manager);
        var first = await _client.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, PageSize = 1 });

        var otherFilters = await FailsWith(StatusCode.InvalidArgument, _client.ListRelationshipsAsync(
            new ListRelationshipsRequest { Manager = manager, PageSize = 1, PageToken = first.NextPageToken, IncludeArchived = true }));
        var garbage = await FailsWith(StatusCode.InvalidArgument, _client.ListRelationshipsAsync(
            new ListRelationshipsRequest { PageToken = "%%%not-a-token" }));

        Assert.Equal(["page_token"], otherFilters.ViolatedFields());
        Assert.Equal(["page_token"], garbage.ViolatedFields());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(501)]
    public async Task A_page_size_outside_0_to_500_is_invalid_argument(int size)
    {
        var failure = await FailsWith(StatusCode.InvalidArgument,
            _client.ListRelationshipsAsync(new ListRelationshipsRequest { PageSize = size }));

        Assert.Equal(["page_size"], failure.ViolatedFields());
    }
}
