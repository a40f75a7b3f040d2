using System.Diagnostics;
using System.Globalization;
using Brm.Api.Hosting;
using Brm.Api.Commitments;
using Brm.Api.Feedback;
using Brm.Domain.Feedback;
using Brm.Api.Infrastructure;
using Brm.Api.Tags;
using Brm.Api.Outreach;
using Brm.Domain.Outreach;
using Brm.Domain.Commitments;
using Brm.Api.Relationships;
using Brm.Domain.Relationships;
using Brm.Domain.Reporting;
using Brm.V1;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;
using static Brm.Api.Infrastructure.ProtoFields;

namespace Brm.Api.Reporting;

/// <summary>How the feed paces itself; section "Feed" of the configuration.</summary>
public sealed class FeedOptions
{
    /// <summary>How often a caught-up follower looks for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a follower goes without a message: then it gets a checkpoint.</summary>
    public TimeSpan IdleCheckpoint { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>What health lets an organisation set; section "Health" of the configuration (docs/health.md).</summary>
public sealed class HealthOptions
{
    /// <summary>How many months the answers to the two questions stay current (1-60, default 12).</summary>
    public int TwoQuestionsReviewMonths { get; set; } = HealthPolicy.DefaultTwoQuestionsReviewMonths;

    public const string Invalid = "Health:TwoQuestionsReviewMonths must be 1-60 months";

    public bool IsValid => TwoQuestionsReviewMonths is >= 1 and <= HealthPolicy.MaxTwoQuestionsReviewMonths;

    public HealthPolicy ToPolicy() => new(TwoQuestionsReviewMonths);
}

/// <summary>brm.v1.ReportingService: the event feed, the timeline, the relationship as of a moment, health, the portfolio and the brief.</summary>
public sealed class ReportingGrpcService(
    IDocumentStore store, IQuerySession query, IOptions<FeedOptions> feedOptions, IOptions<HealthOptions> healthOptions, TimeProvider clock, BrmMetrics metrics,
    PageCursors pages)
    : ReportingService.ReportingServiceBase
{
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    public override async Task StreamEvents(
        StreamEventsRequest request, IServerStreamWriter<StreamEventsResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        using var open = metrics.FeedStreamOpened();
        var options = feedOptions.Value;
        var filter = new FeedFilter(request.EventTypes.ToHashSet(), Ids(request.RelationshipIds).ToHashSet());
        var position = request.After;
        var caughtUp = false;
        var sinceLastMessage = Stopwatch.StartNew();

        // A window's messages are buffered (BufferHint) and flushed with the last one: one flush per window, not per event.
        // Over gRPC a window's events are buffered and flushed once; the HTTP/JSON route (transcoding) has no
        // write options, so there every message is written as it comes.
        var buffering = context.GetHttpContext().Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        async Task Send(StreamEventsResponse message, bool flush = true)
        {
            if (buffering)
            {
                responseStream.WriteOptions = flush ? null : BufferedWrite;
            }

            await responseStream.WriteAsync(message, ct);
            sinceLastMessage.Restart();
        }

        var highWaterMark = 0L;
        while (true)
        {
            // The mark only moves forward: it is read again only once the feed has reached the last one read.
            if (position >= highWaterMark)
            {
                highWaterMark = await store.HighWaterMarkAsync(ct);
            }

            if (position < highWaterMark)
            {
                // One bounded window at a time: a slow consumer holds at most one window in memory.
                var upTo = Math.Min(highWaterMark, position + EventFeed.Window);
                IReadOnlyList<FeedEntry> entries;
                await using (var session = store.QuerySession())
                {
                    entries = await session.ReadAsync(position, upTo, filter, ct);
                }

                var checkpoint = entries.Count == 0 || entries[^1].Position < upTo;
                for (var i = 0; i < entries.Count; i++)
                {
                    await Send(new StreamEventsResponse { Event = ToProto(entries[i]) }, flush: i == entries.Count - 1 && !checkpoint);
                    metrics.FeedEventSent();
                }

                if (checkpoint)
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
        var relationshipId = Id(request.RelationshipId);
        var filters = $"timeline={relationshipId}";
        var before = pages.Read<long>(request.PageToken, filters, context)?.Key;
        var size = PageTokens.Size(request.PageSize);
        await query.GetAsync(relationshipId, ct);

        // The freshness is read first, so the answer is at least as fresh as it claims.
        var freshness = new Freshness
        {
            Position = await store.TimelinePositionAsync(ct), HighWaterMark = await store.HighWaterMarkAsync(ct),
        };
        var page = await query.TimelinePageAsync(relationshipId, before, size + 1, ct);

        var response = new GetTimelineResponse { Freshness = freshness };
        response.Entries.AddRange(page.Take(size).Select(ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = pages.Write(new PageCursor<long>(page[size - 1].Id, Guid.Empty), filters, context);
        }

        return response;
    }

    public override async Task<GetRelationshipAsOfResponse> GetRelationshipAsOf(GetRelationshipAsOfRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var moment = request.AsOf.ToDomain();
        var freshness = await CurrentAsync(ct);
        var asOf = await query.RelationshipAsOfAsync(Id(request.RelationshipId), moment, ct);
        var commitments = await query.AllCommitmentsAsync(new CommitmentFilter(RelationshipId: asOf.Relationship.Id), ct);
        var feedback = await query.FeedbackOfAsync([asOf.Relationship.Id], receivedBy: moment, openOnly: false, ct);
        var updates = await query.UpdatesSentByAsync(asOf.Relationship.Id, moment, OutreachLimits.UpdatesAsOf, ct);
        var day = DateOnly.FromDateTime(moment.UtcDateTime);
        return new GetRelationshipAsOfResponse
        {
            Relationship = asOf.Relationship.ToProto(),
            Position = asOf.Position,
            OpenCommitments =
            {
                commitments.Select(c => c.AsOf(moment)).OfType<Brm.Domain.Commitments.Commitment>().Where(c => !c.IsClosed)
                    .OrderBy(c => c.DueDate).Select(c => c.ToProto(day)),
            },
            OpenFeedback = { feedback.Select(f => f.AsOf(moment)).OfType<FeedbackItem>().Where(f => !f.LoopClosed).Select(f => f.ToProto(day)) },
            UpdatesSent = { updates.Select(u => u.AsOf(moment)!.ToProto(withHtml: false)) },
            Freshness = freshness,
        };
    }

    public override async Task<GetRelationshipHealthResponse> GetRelationshipHealth(
        GetRelationshipHealthRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var freshness = await CurrentAsync(ct);
        var relationship = await query.GetAsync(Id(request.RelationshipId), ct);
        var now = clock.GetUtcNow();
        var history = await query.HealthHistoryAsync(relationship.Id, healthOptions.Value.ToPolicy(), ct);
        var health = HealthTrend.Recent(history, relationship, now);
        var response = new GetRelationshipHealthResponse
        {
            RelationshipId = relationship.Id.ToString(),
            Signals = { health.Now.Signals.Select(ToProto) },
            AsOf = now.ToProto(),
            Freshness = freshness,
            TwoQuestionsAskedAt = health.Now.Headlines.TwoQuestionsAskedAt.ToProto(),
        };
        if (health.Now.Score is { } score)
        {
            response.Score = score;
        }

        if (health.DaysAgo30?.Score is { } before30)
        {
            response.Score30DaysAgo = before30;
        }

        if (health.DaysAgo90?.Score is { } before90)
        {
            response.Score90DaysAgo = before90;
        }

        return response;
    }

    public override async Task<GetPortfolioResponse> GetPortfolio(GetPortfolioRequest request, ServerCallContext context)
    {
        var now = clock.GetUtcNow();
        var freshness = await CurrentAsync(context.CancellationToken);
        var tags = TagRules.Filter(request.Tags);
        var filters = $"portfolio|{request.Manager}|{request.Sort}|{string.Join(',', tags)}";
        var after = pages.Read<string>(request.PageToken, filters, context);
        var size = PageTokens.Size(request.PageSize);
        var months = HealthTrend.Months(now, request.TrendMonths);
        var portfolio = await query.PortfolioAsync(
            request.Manager.Length == 0 ? null : request.Manager, now, context.CancellationToken, tags, healthOptions.Value.ToPolicy(), months);
        var rows = portfolio
            .Select(row => (Key: SortKey(row, request.Sort), Row: row))
            .OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Row.Relationship.Id)
            .Where(x => after is not { } cursor || string.CompareOrdinal(x.Key, cursor.Key) > 0
                || (x.Key == cursor.Key && x.Row.Relationship.Id.CompareTo(cursor.Id) > 0))
            .Take(size + 1)
            .ToList();

        var response = new GetPortfolioResponse { AsOf = now.ToProto(), Freshness = freshness };
        response.Rows.AddRange(rows.Take(size).Select(x => ToProto(x.Row)));
        response.Trend.AddRange(HealthTrend.Portfolio(months, portfolio.Select(r => r.Trend)).Select(ToProto));
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            response.NextPageToken = pages.Write(new PageCursor<string>(last.Key, last.Row.Relationship.Id), filters, context);
        }

        return response;
    }

    public override async Task<GetBriefingResponse> GetBriefing(GetBriefingRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;

        // The timeline is the one asynchronous part: its position, read first, is how fresh the answer is.
        var freshness = new Freshness
        {
            Position = await store.TimelinePositionAsync(ct), HighWaterMark = await store.HighWaterMarkAsync(ct),
        };
        var briefing = await query.BriefingAsync(Id(request.RelationshipId), clock.GetUtcNow(), healthOptions.Value.ToPolicy(), ct);
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

    /// <summary>
    /// Worst health first (no score last), then by name; by name; by manager (none last), then by name; or by one signal, the one the sort is named after
    /// (PORTFOLIO_SORT_TWO_QUESTIONS: "two_questions"), worst score first (no data last), then by name.
    /// </summary>
    private static readonly Google.Protobuf.Reflection.EnumDescriptor SortNames = ReportingReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("PortfolioSort");

    private static string SortKey(Brm.Domain.Reporting.PortfolioRow row, PortfolioSort sort)
    {
        var name = row.Relationship.Name.ToLowerInvariant();
        if (sort == PortfolioSort.Name)
        {
            return name;
        }

        if (sort == PortfolioSort.Health)
        {
            return $"{row.Health.Score ?? 999:D3}|{name}";
        }

        // By manager, none last: the manager's name ends with a character no text field may hold.
        if (sort == PortfolioSort.Manager)
        {
            return row.Relationship.Manager is { Length: > 0 } manager ? $"0{manager.ToLowerInvariant()}\u0001{name}" : $"1{name}";
        }

        var signal = SortNames.FindValueByNumber((int)sort).Name["PORTFOLIO_SORT_".Length..].ToLowerInvariant();
        var score = row.Health.Signals.Single(x => x.Name == signal).Score;
        return (score is { } s ? s.ToString("0.000000", CultureInfo.InvariantCulture) : "9") + "|" + name;
    }

    private static V1.PortfolioRow ToProto(Brm.Domain.Reporting.PortfolioRow row)
    {
        var message = new V1.PortfolioRow
        {
            RelationshipId = row.Relationship.Id.ToString(),
            Code = row.Relationship.Code,
            Name = row.Relationship.Name,
            Manager = row.Relationship.Manager ?? "",
            Signals = { row.Health.Signals.Select(ToProto) },
            Tags = { row.Relationship.Tags },
            Scores = row.Scores.ToProto(),
            DeclinesNotTold = row.Health.Headlines.DeclinesNotTold,
            TwoQuestionsAskedAt = row.Health.Headlines.TwoQuestionsAskedAt.ToProto(),
        };
        if (row.Health.Score is { } score)
        {
            message.Health = score;
        }

        if (row.Health.Headlines.PlanAdherence is { } adherence)
        {
            message.PlanAdherence = adherence;
        }

        if (row.Health.Headlines.LoopsClosedShare is { } closed)
        {
            message.LoopsClosedShare = closed;
        }

        message.Trend.AddRange(row.Trend.Select(ToProto));
        return message;
    }

    private static V1.MonthlyHealth ToProto(Brm.Domain.Reporting.MonthlyHealth point)
    {
        var message = new V1.MonthlyHealth { Year = point.Month.Year, Month = point.Month.Month, AsOf = point.Month.At.ToProto() };
        if (point.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

    private static V1.PortfolioMonthlyHealth ToProto(Brm.Domain.Reporting.PortfolioMonthlyHealth point)
    {
        var message = new V1.PortfolioMonthlyHealth
        {
            Year = point.Month.Year, Month = point.Month.Month, AsOf = point.Month.At.ToProto(), DepartmentsScored = point.DepartmentsScored,
        };
        if (point.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

    internal static V1.TimelineEntry ToProto(Brm.Domain.Reporting.TimelineEntry e) => new()
    {
        Position = e.Id,
        EventType = e.EventType,
        Summary = e.Summary,
        Actor = e.Actor,
        OccurredAt = e.OccurredAt.ToProto(),
        StreamId = e.StreamId.ToString(),
    };

    internal static V1.HealthSignal ToProto(Brm.Domain.Reporting.HealthSignal signal)
    {
        var message = new V1.HealthSignal
        {
            Name = signal.Name, Weight = signal.Weight, Value = signal.Value, Explanation = signal.Explanation,
        };
        if (signal.Score is { } score)
        {
            message.Score = score;
        }

        return message;
    }

    private static FeedEvent ToProto(FeedEntry entry) => new()
    {
        Position = entry.Position,
        EventId = entry.EventId.ToString(),
        StreamId = entry.StreamId.ToString(),
        StreamVersion = entry.StreamVersion,
        RelationshipId = entry.RelationshipId == Guid.Empty ? "" : entry.RelationshipId.ToString(),
        EventType = entry.EventType,
        OccurredAt = entry.OccurredAt.ToProto(),
        RecordedAt = entry.RecordedAt.ToProto(),
        Actor = entry.Actor,
        CorrelationId = entry.CorrelationId ?? "",
        CausationId = entry.CausationId ?? "",
        Payload = EventPayloads.ToPayload(entry.Data),
    };
}
