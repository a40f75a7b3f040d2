using System.Diagnostics;
using Brm.Api.Hosting;
using Brm.Domain.Reporting;
using Brm.V1;
using Grpc.Core;
using Marten;

namespace Brm.Api.Reporting;

/// <summary>
/// One StreamEvents call: reads the event store window by window up to the high-water mark (<see cref="EventFeed"/>),
/// writes each window's events, a checkpoint where events were passed over, one caught_up at the end of the backlog,
/// then (following) polls for new events and sends a checkpoint when it has been idle. See docs/reporting.md.
/// </summary>
public sealed class FeedStream(
    IDocumentStore store, FeedOptions options, BrmMetrics metrics, IServerStreamWriter<StreamEventsResponse> writer, ServerCallContext context)
{
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    private readonly Stopwatch _sinceLastMessage = Stopwatch.StartNew();

    // A window's messages are buffered (BufferHint) and flushed with the last one: one flush per window, not per event.
    // Over gRPC a window's events are buffered and flushed once; the HTTP/JSON route (transcoding) has no
    // write options, so there every message is written as it comes.
    private readonly bool _buffering =
        context.GetHttpContext().Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;

    /// <summary>Streams the events after <paramref name="position"/> that pass <paramref name="filter"/>; following, until cancelled.</summary>
    public async Task RunAsync(long position, bool follow, FeedFilter filter)
    {
        var ct = context.CancellationToken;
        using var open = metrics.FeedStreamOpened();
        var caughtUp = false;
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
                position = await SendWindowAsync(position, highWaterMark, filter, ct);
                continue;
            }

            if (!caughtUp)
            {
                caughtUp = true;
                await SendAsync(new StreamEventsResponse { CaughtUp = new CaughtUp { Position = position } }, ct);
                if (!follow)
                {
                    return;
                }
            }
            else if (_sinceLastMessage.Elapsed >= options.IdleCheckpoint)
            {
                await SendAsync(new StreamEventsResponse { Checkpoint = new Checkpoint { Position = position } }, ct);
            }

            await Task.Delay(options.PollInterval, ct);
        }
    }

    /// <summary>
    /// One bounded window after <paramref name="position"/>, below the mark: a slow consumer holds at most one window in
    /// memory. Returns where the next window starts.
    /// </summary>
    private async Task<long> SendWindowAsync(long position, long highWaterMark, FeedFilter filter, CancellationToken ct)
    {
        var upTo = Math.Min(highWaterMark, position + EventFeed.Window);
        IReadOnlyList<FeedEntry> entries;
        await using (var session = store.QuerySession())
        {
            entries = await session.ReadAsync(position, upTo, filter, ct);
        }

        var checkpoint = entries.Count == 0 || entries[^1].Position < upTo;
        for (var i = 0; i < entries.Count; i++)
        {
            await SendAsync(new StreamEventsResponse { Event = entries[i].ToProto() }, ct, flush: i == entries.Count - 1 && !checkpoint);
            metrics.FeedEventSent();
        }

        if (checkpoint)
        {
            // Events were passed over (filtered out, or not domain events): say how far we got.
            await SendAsync(new StreamEventsResponse { Checkpoint = new Checkpoint { Position = upTo } }, ct);
        }

        return upTo;
    }

    private async Task SendAsync(StreamEventsResponse message, CancellationToken ct, bool flush = true)
    {
        if (_buffering)
        {
            writer.WriteOptions = flush ? null : BufferedWrite;
        }

        await writer.WriteAsync(message, ct);
        _sinceLastMessage.Restart();
    }
}
