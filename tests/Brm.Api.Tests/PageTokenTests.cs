using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Brm.Api.Tests.Support;
using Brm.Domain.Commitments;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>
/// Page tokens are sealed by the service: whatever else a client sends as a page_token (an altered token, one of
/// another RPC or of other filters, one of the old unsealed format, one from a service on another database) is
/// INVALID_ARGUMENT naming page_token, on every list RPC. Two nodes on one database share the key ring.
/// </summary>
public sealed class PageTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string> ListRpcs() => [.. PagedLists.Rpcs.Select(m => m.Name())];

    [Fact]
    public async Task Every_list_rpc_of_the_descriptors_is_covered_and_pages_with_its_own_token()
    {
        var lists = await PagedLists.CreateAsync(api);

        Assert.Equal(PagedLists.Rpcs.Select(m => m.Name()).Order(), lists.Requests.Keys.Order());
        foreach (var rpc in lists.Requests.Keys)
        {
            var token = await lists.TokenAsync(api.Channel, rpc);
            var (second, failure) = await api.Channel.CallListAsync(Rpcs.Named(rpc), PagedLists.WithToken(lists.Requests[rpc].First, token));
            Assert.True(failure is null, $"{rpc}: {failure?.Status}");
            Assert.NotNull(second);
        }
    }

    [Theory]
    [MemberData(nameof(ListRpcs))]
    public async Task A_token_altered_at_any_byte_is_invalid_argument_on_page_token(string rpc)
    {
        var lists = await PagedLists.CreateAsync(api);
        var token = Base64Url.DecodeFromChars(await lists.TokenAsync(api.Channel, rpc));

        var altered = new List<byte[]>();
        for (var at = 0; at < token.Length; at++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var bytes = (byte[])token.Clone();
                bytes[at] ^= mask;
                altered.Add(bytes);
            }

            if (at > 0)
            {
                altered.Add(token[..at]); // cut short (cut to nothing, it is no token: the first page)
            }
        }

        altered.Add([.. token, 0]);
        foreach (var bytes in altered)
        {
            await RefusedAsync(rpc, lists.Requests[rpc].First, Base64Url.EncodeToString(bytes));
        }
    }

    [Fact]
    public async Task A_token_of_one_rpc_is_refused_by_every_other()
    {
        var lists = await PagedLists.CreateAsync(api);
        foreach (var issuer in lists.Requests.Keys)
        {
            var token = await lists.TokenAsync(api.Channel, issuer);
            foreach (var other in lists.Requests.Keys.Where(r => r != issuer))
            {
                await RefusedAsync(other, lists.Requests[other].First, token);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ListRpcs))]
    public async Task A_token_issued_for_other_filters_is_refused(string rpc)
    {
        var lists = await PagedLists.CreateAsync(api);
        var token = await lists.TokenAsync(api.Channel, rpc);

        await RefusedAsync(rpc, lists.Requests[rpc].OtherFilters, token);
    }

    /// <summary>
    /// The format page tokens had before they were sealed: base64url JSON {K, I, F}, F a fingerprint of the filters.
    /// A client could write any key; "x" or a 25-digit number made GetTimeline and ListCommitments answer INTERNAL.
    /// </summary>
    [Theory]
    [InlineData("x")]
    [InlineData("1234567890123456789012345")]
    [InlineData("2026-02-30")]
    public async Task A_crafted_token_of_the_old_format_is_invalid_argument(string key)
    {
        var relationship = await api.Relationships.RegisterAsync("Crafted");
        var id = Guid.Parse(relationship.Id);

        await RefusedAsync("ReportingService/GetTimeline", new GetTimelineRequest { RelationshipId = relationship.Id },
            OldToken(key, $"timeline={id}"));
        await RefusedAsync("CommitmentService/ListCommitments", new ListCommitmentsRequest { RelationshipId = relationship.Id },
            OldToken(key, $"{new CommitmentFilter(RelationshipId: id)}||today={default(DateOnly)}"));
    }

    [Fact]
    public async Task A_token_from_a_service_on_another_database_is_refused()
    {
        var other = new ApiFixture();
        await other.InitializeAsync();
        var manager = "brm.elsewhere." + Guid.NewGuid().ToString("N")[..8];
        ListRelationshipsResponse page;
        try
        {
            foreach (var name in new[] { "One", "Two" })
            {
                await other.Relationships.RegisterAsync(name, manager);
            }

            page = await other.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, PageSize = 1 });
        }
        finally
        {
            await other.DisposeAsync();
        }

        await RefusedAsync("RelationshipService/ListRelationships", new ListRelationshipsRequest { Manager = manager, PageSize = 1 }, page.NextPageToken);
    }

    [Fact]
    public async Task The_longest_key_still_fits_the_page_token_limit()
    {
        // A 200-character name (the most a name may have) of 3-byte UTF-8 characters: the largest cursor a list writes.
        var manager = "brm.long." + Guid.NewGuid().ToString("N")[..8];
        await api.Relationships.RegisterAsync(new string('€', 200), manager);
        await api.Relationships.RegisterAsync(new string('€', 199) + "x", manager);

        var names = await api.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, PageSize = 1 });
        var portfolio = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name, PageSize = 1 });

        var secondNames = await api.Relationships.ListRelationshipsAsync(new ListRelationshipsRequest { Manager = manager, PageSize = 1, PageToken = names.NextPageToken });
        var secondPortfolio = await api.Reporting.GetPortfolioAsync(new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name, PageSize = 1, PageToken = portfolio.NextPageToken });
        Assert.Single(secondNames.Relationships);
        Assert.Single(secondPortfolio.Rows);
    }

    /// <summary>Sends <paramref name="request"/> with <paramref name="token"/>: INVALID_ARGUMENT naming page_token alone.</summary>
    private async Task RefusedAsync(string rpc, IMessage request, string token)
    {
        var (_, failure) = await api.Channel.CallListAsync(Rpcs.Named(rpc), PagedLists.WithToken(request, token));
        Assert.True(failure is { StatusCode: StatusCode.InvalidArgument }, $"{rpc} answered {failure?.Status.ToString() ?? "OK"} to page_token {token}");
        Assert.Equal(["page_token"], failure!.ViolatedFields());
    }

    private static string OldToken(string key, string filters) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
    {
        K = key, I = Guid.Empty, F = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filters)))[..16],
    }));
}
