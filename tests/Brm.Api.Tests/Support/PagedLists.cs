using Brm.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using static Brm.Api.Tests.Support.MeetingBuilders;

namespace Brm.Api.Tests.Support;

/// <summary>
/// Every list RPC (a brm.v1 RPC whose request has a <c>page_token</c>, read from the descriptors), with a request of
/// page size 1 that has a next page, and the same request with other filters.
/// </summary>
public sealed record PagedLists(IReadOnlyDictionary<string, (IMessage First, IMessage OtherFilters)> Requests)
{
    /// <summary>The list RPCs, from the descriptors: a new one shows up here without anyone listing it.</summary>
    public static IReadOnlyList<MethodDescriptor> Rpcs =>
        [.. Support.Rpcs.All.Where(m => m.InputType.FindFieldByName("page_token") is not null)];

    /// <summary>
    /// A fresh manager's two relationships; the first has two meetings, commitments, feedback items and updates, a timeline and
    /// search hits (the async projections awaited): every list RPC has a second page.
    /// </summary>
    public static async Task<PagedLists> CreateAsync(ApiFixture api)
    {
        var manager = "brm.pages." + Guid.NewGuid().ToString("N")[..8];
        var now = api.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var alpha = await api.DepartmentAsync("Pages Alpha", [("Ana", StakeholderLevel.Staff)], manager);
        var beta = await api.Relationships.RegisterAsync("Pages Beta", manager);
        var item = await api.Plans.AddPlanItemAsync(PlanBuilders.Item(alpha.Id, "IT update", Cadence.Monthly, Channel.Email, today));
        for (var i = 1; i <= 2; i++)
        {
            await api.Meetings.ScheduleMeetingAsync(Schedule(alpha, now.AddDays(i), "Ana"));
            await api.Commitments.MakeCommitmentAsync(CommitmentBuilders.Commitment(alpha.Relationship, $"Promise {i}", today.AddDays(i)));
            await api.Feedback.SubmitAsync(FeedbackBuilders.Give(alpha, "Ana", $"Comment {i}"));
            await api.Outreach.SendUpdateAsync(new SendUpdateRequest
            {
                RelationshipId = alpha.Id, PlanItemId = item.PlanItemId, Subject = $"Update {i}", BodyMarkdown = "News.", Addresses = { "pages@example.org" },
            });
        }

        await api.WaitForProjectionsAsync();
        string a = alpha.Id, b = beta.Id;
        return new PagedLists(new Dictionary<string, (IMessage, IMessage)>
        {
            ["RelationshipService/ListRelationships"] = (
                new ListRelationshipsRequest { Manager = manager, PageSize = 1 },
                new ListRelationshipsRequest { Manager = manager, PageSize = 1, IncludeArchived = true }),
            ["MeetingService/ListMeetings"] = (
                new ListMeetingsRequest { RelationshipId = a, PageSize = 1 }, new ListMeetingsRequest { RelationshipId = b, PageSize = 1 }),
            ["CommitmentService/ListCommitments"] = (
                new ListCommitmentsRequest { RelationshipId = a, PageSize = 1 }, new ListCommitmentsRequest { RelationshipId = b, PageSize = 1 }),
            ["FeedbackService/ListFeedback"] = (
                new ListFeedbackRequest { RelationshipId = a, PageSize = 1 }, new ListFeedbackRequest { RelationshipId = b, PageSize = 1 }),
            ["OutreachService/ListUpdates"] = (
                new ListUpdatesRequest { RelationshipId = a, PageSize = 1 }, new ListUpdatesRequest { RelationshipId = b, PageSize = 1 }),
            ["ReportingService/GetTimeline"] = (
                new GetTimelineRequest { RelationshipId = a, PageSize = 1 }, new GetTimelineRequest { RelationshipId = b, PageSize = 1 }),
            ["SearchService/Search"] = (
                new SearchRequest { Query = "promise", RelationshipIds = { a }, PageSize = 1 },
                new SearchRequest { Query = "promise", RelationshipIds = { b }, PageSize = 1 }),
            ["ReportingService/GetPortfolio"] = (
                new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Name, PageSize = 1 },
                new GetPortfolioRequest { Manager = manager, Sort = PortfolioSort.Health, PageSize = 1 }),
        });
    }

    /// <summary>The next_page_token the first request of <paramref name="rpc"/> answers (never empty).</summary>
    public async Task<string> TokenAsync(GrpcChannel channel, string rpc)
    {
        var (response, failure) = await channel.CallListAsync(Support.Rpcs.Named(rpc), Requests[rpc].First);
        Assert.True(failure is null, $"{rpc}: {failure?.Status}");
        var token = NextPageToken(response!);
        Assert.NotEqual("", token);
        return token;
    }

    /// <summary><paramref name="request"/> with <paramref name="token"/> as its page_token.</summary>
    public static IMessage WithToken(IMessage request, string token)
    {
        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteArray());
        copy.Descriptor.FindFieldByName("page_token").Accessor.SetValue(copy, token);
        return copy;
    }

    public static string PageToken(IMessage request) =>
        (string)request.Descriptor.FindFieldByName("page_token").Accessor.GetValue(request);

    public static string NextPageToken(IMessage response) =>
        (string)response.Descriptor.FindFieldByName("next_page_token").Accessor.GetValue(response);
}

public static class ListCalls
{
    /// <summary>Calls the unary <paramref name="method"/>: its response, or the failure with its trailers.</summary>
    public static async Task<(IMessage? Response, RpcException? Failure)> CallListAsync(this GrpcChannel channel, MethodDescriptor method, IMessage request)
    {
        var marshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), method.OutputType.Parser.ParseFrom);
        var unary = new Method<IMessage, IMessage>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
        try
        {
            return (await channel.CreateCallInvoker().AsyncUnaryCall(unary, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), request), null);
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }
}
