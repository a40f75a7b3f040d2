using Brm.Api.Hosting;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Domain.Reporting;
using Brm.V1;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.Reporting;

/// <summary>brm.v1.ReportingService: the event feed, the timeline, the relationship as of a moment, health, the portfolio and the brief.</summary>
public sealed class ReportingGrpcService(
    IDocumentStore store, IQuerySession query, IOptions<FeedOptions> feedOptions, IOptions<HealthOptions> healthOptions, TimeProvider clock, BrmMetrics metrics,
    PageCursors pages)
    : ReportingService.ReportingServiceBase
{
    public override Task StreamEvents(
        StreamEventsRequest request, IServerStreamWriter<StreamEventsResponse> responseStream, ServerCallContext context) =>
        new FeedStream(store, feedOptions.Value, metrics, responseStream, context).RunAsync(request.After, request.Follow, request.ToFilter());

    public override async Task<GetTimelineResponse> GetTimeline(GetTimelineRequest request, ServerCallContext context)
    {
        var relationshipId = Id(request.RelationshipId);
        var filters = $"timeline={relationshipId}";
        var before = pages.Read<long>(request.PageToken, filters, context)?.Key;
        var freshness = await TimelineFreshnessAsync(context.CancellationToken);
        var page = await query.TimelineAsync(relationshipId, before, PageTokens.Size(request.PageSize), context.CancellationToken);
        var response = page.ToProto(freshness);
        if (page.NextBefore is { } next)
        {
            response.NextPageToken = pages.Write(new PageCursor<long>(next, Guid.Empty), filters, context);
        }

        return response;
    }

    public override async Task<GetRelationshipAsOfResponse> GetRelationshipAsOf(GetRelationshipAsOfRequest request, ServerCallContext context)
    {
        var freshness = await CurrentAsync(context.CancellationToken);
        var snapshot = await query.RelationshipSnapshotAsync(Id(request.RelationshipId), request.AsOf.ToDomain(), context.CancellationToken);
        return snapshot.ToProto(freshness);
    }

    public override async Task<GetRelationshipHealthResponse> GetRelationshipHealth(
        GetRelationshipHealthRequest request, ServerCallContext context)
    {
        var freshness = await CurrentAsync(context.CancellationToken);
        var health = await query.RelationshipHealthAsync(
            Id(request.RelationshipId), clock.GetUtcNow(), healthOptions.Value.ToPolicy(), context.CancellationToken);
        return health.ToProto(freshness);
    }

    public override async Task<GetPortfolioResponse> GetPortfolio(GetPortfolioRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var freshness = await CurrentAsync(context.CancellationToken);
        var tags = TagRules.Filter(request.Tags);
        var filters = $"portfolio|{request.Manager}|{request.Sort}|{string.Join(',', tags)}";
        var after = pages.Read<string>(request.PageToken, filters, context) is { } cursor ? new PortfolioCursor(cursor.Key, cursor.Id) : null;
        var portfolio = new PortfolioQuery(
            request.Manager.Length == 0 ? null : request.Manager, tags, request.Sort.ToDomain(), after, PageTokens.Size(request.PageSize), request.TrendMonths);
        var page = await query.PortfolioPageAsync(portfolio, now, healthOptions.Value.ToPolicy(), context.CancellationToken);
        var response = page.ToProto(now, freshness);
        if (page.Next is { } next)
        {
            response.NextPageToken = pages.Write(new PageCursor<string>(next.Key, next.Id), filters, context);
        }

        return response;
    }

    public override async Task<GetBriefingResponse> GetBriefing(GetBriefingRequest request, ServerCallContext context)
    {
        // The timeline is the one asynchronous part: its position, read first, is how fresh the answer is.
        var freshness = await TimelineFreshnessAsync(context.CancellationToken);
        var briefing = await query.BriefingAsync(Id(request.RelationshipId), clock.GetUtcNow(), healthOptions.Value.ToPolicy(), context.CancellationToken);
        return briefing.ToProto(freshness);
    }

    /// <summary>
    /// The freshness of an answer read from inline documents (current in their events' transaction) or from
    /// streams: such an answer is never stale, so its position is the last committed event's, read before the
    /// answer (the answer is at least as fresh as it claims); the high-water mark says how far the async reports are.
    /// </summary>
    private async Task<Freshness> CurrentAsync(CancellationToken ct) => new()
    {
        Position = await query.LastCommittedPositionAsync(ct), HighWaterMark = await store.HighWaterMarkAsync(ct),
    };

    /// <summary>The freshness of an answer that reads the (asynchronous) timeline: its position, read before the answer.</summary>
    private async Task<Freshness> TimelineFreshnessAsync(CancellationToken ct) => new()
    {
        Position = await store.TimelinePositionAsync(ct), HighWaterMark = await store.HighWaterMarkAsync(ct),
    };
}
