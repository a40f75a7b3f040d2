using System.Diagnostics;
using Brm.Domain;
using Brm.V1;
using Grpc.Core;
using Npgsql;

namespace Brm.Bench;

public sealed record FeedResult(
    long EventsInStore,
    long Delivered,
    double Seconds,
    double EventsPerSecond,
    long RawBytes,
    double RawSeconds,
    double RawRowsPerSecond,
    double RatioToRaw,
    double ServiceCpuMicrosecondsPerEvent,
    Memory ServerMemory,
    bool PeakIsOfFeedOnly,
    string? Problem);

/// <summary>
/// The whole store read two ways, one after the other: raw (PostgreSQL's COPY of the same rows to this client) and
/// through <c>StreamEvents</c> from position 0 without follow, to its caught_up. Checks the feed delivered every
/// event below its caught-up position once, in order.
/// </summary>
public static class Feed
{
    public const string RawQuery =
        $"COPY (SELECT seq_id, id, stream_id, version, type, data, timestamp FROM {BrmDomain.Schema}.mt_events ORDER BY seq_id) TO STDOUT (FORMAT BINARY)";

    public static async Task<FeedResult> RunAsync(Clients clients, StoreFilling store, ServerProcess server, CancellationToken ct)
    {
        var rows = await store.CountEventsAsync(ct);

        // Raw first: both then find the rows in the same (warm) cache.
        var raw = Stopwatch.StartNew();
        var rawBytes = await CopyOutAsync(store.Database, ct);
        var rawSeconds = raw.Elapsed.TotalSeconds;

        var peakOfFeedOnly = server.ResetPeakMemory();
        var cpu = CpuTime.Now(server);
        var watch = Stopwatch.StartNew();
        long delivered = 0, last = 0, caughtUpAt = -1;
        string? problem = null;
        using var call = clients.Reporting.StreamEvents(new StreamEventsRequest { After = 0 }, cancellationToken: ct);
        await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
        {
            switch (message.ItemCase)
            {
                case StreamEventsResponse.ItemOneofCase.Event:
                    if (message.Event.Position <= last)
                    {
                        problem ??= $"position {message.Event.Position} came after {last}";
                    }

                    last = message.Event.Position;
                    delivered++;
                    break;
                case StreamEventsResponse.ItemOneofCase.CaughtUp:
                    caughtUpAt = message.CaughtUp.Position;
                    break;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var serviceCpu = CpuTime.Now(server).Since(cpu).Service;
        var memory = server.Memory();

        // Every domain event (not Marten's tombstones for sequence numbers a failed transaction used) up to caught_up.
        var expected = (long)(await store.Scalar(
            $"select count(*) from {BrmDomain.Schema}.mt_events where type <> 'tombstone' and seq_id <= {Math.Max(caughtUpAt, 0)}", ct))!;
        if (caughtUpAt < 0)
        {
            problem ??= "the stream ended without caught_up";
        }
        else if (delivered != expected)
        {
            problem ??= $"delivered {delivered:N0} events, the store holds {expected:N0} up to position {caughtUpAt:N0}";
        }

        var eventsPerSecond = delivered / seconds;
        var rawRowsPerSecond = rows / rawSeconds;
        return new FeedResult(rows, delivered, seconds, eventsPerSecond, rawBytes, rawSeconds, rawRowsPerSecond,
            eventsPerSecond / rawRowsPerSecond, serviceCpu * 1e6 / Math.Max(1, delivered), memory, peakOfFeedOnly, problem);
    }

    // The rows as PostgreSQL sends them, neither parsed nor decoded: what any reader of the table must at least pay.
    private static async Task<long> CopyOutAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var copy = await connection.BeginRawBinaryCopyAsync(RawQuery, ct);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await copy.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
        }

        return total;
    }
}
