using System.Diagnostics;
using Brm.Api.Infrastructure;
using Brm.Api.Relationships;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;
using Brm.V1;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;

namespace Brm.Api.Reporting;

/// <summary>How the feed paces itself; section "Feed" of the configuration.</summary>
public sealed class FeedOptions
{
    /// <summary>How often a caught-up follower looks for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a follower goes without a message: then it gets a checkpoint.</summary>
    public TimeSpan IdleCheckpoint { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>brm.v1.ReportingService: the event feed, the timeline and the relationship as of a moment.</summary>
public sealed class ReportingGrpcService(IDocumentStore store, IQuerySession query, IOptions<FeedOptions> feedOptions)
    : ReportingService.ReportingServiceBase
{
    public override async Task StreamEvents(
        StreamEventsRequest request, IServerStreamWriter<StreamEventsResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var options = feedOptions.Value;
        var filter = new FeedFilter(request.EventTypes.ToHashSet(), request.RelationshipIds.Select(Guid.Parse).ToHashSet());
        var position = request.After;
        var caughtUp = false;
        var sinceLastMessage = Stopwatch.StartNew();

        async Task Send(StreamEventsResponse message)
        {
            await responseStream.WriteAsync(message, ct);
            sinceLastMessage.Restart();
        }

        while (true)
        {
            var highWaterMark = await store.HighWaterMarkAsync(ct);
            if (position < highWaterMark)
            {
                // One bounded window at a time: a slow consumer holds at most one window in memory.
                var upTo = Math.Min(highWaterMark, position + EventFeed.Window);
                IReadOnlyList<FeedEntry> entries;
                await using (var session = store.QuerySession())
                {
                    entries = await session.ReadAsync(position, upTo, filter, ct);
                }

                foreach (var entry in entries)
                {
                    await Send(new StreamEventsResponse { Event = ToProto(entry) });
                }

                if (entries.Count == 0 || entries[^1].Position < upTo)
                {
                    // Events were passed over (filtered out, or not domain events): say how far we got.
                    await Send(new StreamEventsResponse { Checkpoint = new Checkpoint { Position = upTo } });
                }

                position = upTo;
                continue;
            }

            if (!caughtUp)
            {
                caughtUp = true;
                await Send(new StreamEventsResponse { CaughtUp = new CaughtUp { Position = position } });
                if (!request.Follow)
                {
                    return;
                }
            }
            else if (sinceLastMessage.Elapsed >= options.IdleCheckpoint)
            {
                await Send(new StreamEventsResponse { Checkpoint = new Checkpoint { Position = position } });
            }

            await Task.Delay(options.PollInterval, ct);
        }
    }

    public override async Task<GetTimelineResponse> GetTimeline(GetTimelineRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var relationshipId = Guid.Parse(request.RelationshipId);
        var filters = $"timeline={relationshipId}";
        var before = PageTokens.Decode(request.PageToken, filters) is { } cursor ? long.Parse(cursor.Key, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        var size = PageTokens.Size(request.PageSize);
        await query.GetAsync(relationshipId, ct);

        // The freshness is read first, so the answer is at least as fresh as it claims.
        var freshness = new Freshness
        {
            Position = await store.TimelinePositionAsync(ct), HighWaterMark = await store.HighWaterMarkAsync(ct),
        };
        var page = await query.TimelinePageAsync(relationshipId, before, size + 1, ct);

        var response = new GetTimelineResponse { Freshness = freshness };
        response.Entries.AddRange(page.Take(size).Select(e => new V1.TimelineEntry
        {
            Position = e.Id,
            EventType = e.EventType,
            Summary = e.Summary,
            Actor = e.Actor,
            OccurredAt = e.OccurredAt.ToProto(),
            StreamId = e.StreamId.ToString(),
        }));
        if (page.Count > size)
        {
            var key = page[size - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.NextPageToken = PageTokens.Encode(new PageCursor(key, Guid.Empty), filters);
        }

        return response;
    }

    public override async Task<GetRelationshipAsOfResponse> GetRelationshipAsOf(GetRelationshipAsOfRequest request, ServerCallContext context)
    {
        var asOf = await query.RelationshipAsOfAsync(Guid.Parse(request.RelationshipId), request.AsOf.ToDomain(), context.CancellationToken);
        return new GetRelationshipAsOfResponse { Relationship = asOf.Relationship.ToProto(), Position = asOf.Position };
    }

    private static FeedEvent ToProto(FeedEntry entry) => new()
    {
        Position = entry.Position,
        EventId = entry.EventId.ToString(),
        StreamId = entry.StreamId.ToString(),
        StreamVersion = entry.StreamVersion,
        RelationshipId = entry.RelationshipId.ToString(),
        EventType = entry.EventType,
        OccurredAt = entry.OccurredAt.ToProto(),
        RecordedAt = entry.RecordedAt.ToProto(),
        Actor = entry.Actor,
        CorrelationId = entry.CorrelationId ?? "",
        CausationId = entry.CausationId ?? "",
        Payload = EventPayloads.ToPayload(entry.Data),
    };
}
