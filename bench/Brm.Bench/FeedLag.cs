using System.Collections.Concurrent;
using System.Diagnostics;
using Brm.Domain;
using Brm.V1;
using Grpc.Core;

namespace Brm.Bench;

/// <summary>
/// How late a follower of the feed sees what racing writers committed (<see cref="FeedLag"/>). Lags in
/// milliseconds: <see cref="Lag"/> from the writer's OK to the follower receiving the event,
/// <see cref="LagFromRecordedAt"/> from the event's <c>recorded_at</c>, <see cref="HighWaterMarkTrail"/> from the
/// writer's OK to the async daemon's high-water mark (which the feed never reads past) reaching the event.
/// </summary>
public sealed record FeedLagResult(
    int Writers,
    double Seconds,
    long Committed,
    long Aborted,
    IReadOnlyDictionary<string, long> Errors,
    long Received,
    long Missed,
    Latency Lag,
    Latency LagFromRecordedAt,
    Latency HighWaterMarkTrail,
    long SequenceHoles,
    long Tombstones,
    string? Problem);

/// <summary>
/// The feed's lag under racing writers (issue 18): an independent client follows <c>StreamEvents</c> (follow,
/// from the store's last position) while six writers rename departments as fast as they can for the run's
/// duration: three race on one shared department, each passing the version it last saw as
/// <c>expected_version</c>, so that some lose (<c>ABORTED</c>, then they read the version again); three rename
/// a department of their own. Every writer notes when each call returned OK, keyed by the stream and the version
/// the response names; the follower notes when each event arrived: the lag is the difference (one machine, one
/// monotonic clock). A sampler reads the daemon's high-water mark every 10 ms for the trail.
/// </summary>
public static class FeedLag
{
    public const int Writers = 6;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<FeedLagResult> RunAsync(
        Clients clients, StoreFilling store, IReadOnlyList<Department> departments, TimeSpan duration, CancellationToken ct)
    {
        var start = (long)(await store.Scalar($"select coalesce(max(seq_id), 0) from {BrmDomain.Schema}.mt_events", ct))!;
        var committed = new ConcurrentDictionary<(Guid Stream, long Version), long>();
        var received = new List<Received>();
        var receivedKeys = 0L;
        string? problem = null;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follower = Task.Run(async () =>
        {
            long last = start;
            try
            {
                using var call = clients.Reporting.StreamEvents(new StreamEventsRequest { After = start, Follow = true }, cancellationToken: stop.Token);
                await foreach (var message in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    switch (message.ItemCase)
                    {
                        case StreamEventsResponse.ItemOneofCase.Event:
                            var arrived = Stopwatch.GetTimestamp();
                            var e = message.Event;
                            if (e.Position <= last)
                            {
                                problem ??= $"position {e.Position} came after {last}";
                            }

                            last = e.Position;
                            received.Add(new Received(Guid.Parse(e.StreamId), e.StreamVersion, e.Position, arrived,
                                (DateTime.UtcNow - e.RecordedAt.ToDateTime()).TotalMilliseconds));
                            Interlocked.Increment(ref receivedKeys);
                            break;
                        case StreamEventsResponse.ItemOneofCase.CaughtUp:
                            caughtUp.TrySetResult();
                            break;
                    }
                }

                problem ??= "the followed feed ended";
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                caughtUp.TrySetResult();
            }
        }, CancellationToken.None);

        // The high-water mark as the daemon moves it: (when read, value), in reading order.
        var marks = new List<(long At, long Mark)>();
        var sampler = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var mark = await store.Scalar(
                        $"select last_seq_id from {BrmDomain.Schema}.mt_event_progression where name = 'HighWaterMark'", stop.Token) as long? ?? 0;
                    marks.Add((Stopwatch.GetTimestamp(), mark));
                    await Task.Delay(TimeSpan.FromMilliseconds(10), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);

        await caughtUp.Task.WaitAsync(ct);

        var shared = departments[0];
        var watch = Stopwatch.StartNew();
        var tallies = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var department = writer < Writers / 2 ? shared : departments[Math.Min(departments.Count - 1, 1 + writer - Writers / 2)];
            var id = Guid.Parse(department.Id);
            var tally = new Tally();
            var version = (await clients.Relationships.GetRelationshipAsync(
                new GetRelationshipRequest { RelationshipId = department.Id }, Calls.Unary(ct))).Relationship.Version;
            for (var n = 0; watch.Elapsed < duration; n++)
            {
                try
                {
                    var renamed = await clients.Relationships.RenameDepartmentAsync(new RenameDepartmentRequest
                    {
                        RequestId = Guid.NewGuid().ToString(), RelationshipId = department.Id, ExpectedVersion = version,
                        Name = $"Department {department.Code} (writer {writer}, {n})",
                    }, Calls.Unary(ct));
                    committed[(id, renamed.Version)] = Stopwatch.GetTimestamp();
                    version = renamed.Version;
                    tally.Committed++;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && !ct.IsCancellationRequested)
                {
                    // Lost the race: read the version again, as a client does before trying again.
                    tally.Aborted++;
                    version = (await clients.Relationships.GetRelationshipAsync(
                        new GetRelationshipRequest { RelationshipId = department.Id }, Calls.Unary(ct))).Relationship.Version;
                }
                catch (RpcException e) when (!ct.IsCancellationRequested)
                {
                    tally.Errors[e.StatusCode.ToString()] = tally.Errors.GetValueOrDefault(e.StatusCode.ToString()) + 1;
                }
            }

            return tally;
        }, ct)));
        var seconds = watch.Elapsed.TotalSeconds;

        // Until the follower has every committed event, or gives up.
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref receivedKeys) < committed.Count && drain.Elapsed < DrainTimeout && !follower.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        await stop.CancelAsync();
        await Task.WhenAll(follower, sampler);

        var lags = new List<double>();
        var recordedLags = new List<double>();
        var trails = new List<double>();
        foreach (var r in received)
        {
            if (!committed.TryGetValue((r.Stream, r.Version), out var ok))
            {
                continue; // not one of the writers' events
            }

            // An event may reach the follower before its writer has read the OK: that is no lag at all.
            lags.Add(Math.Max(0, Stopwatch.GetElapsedTime(ok, r.ArrivedAt).TotalMilliseconds));
            recordedLags.Add(Math.Max(0, r.SinceRecordedMs));
            var reached = marks.FindIndex(m => m.Mark >= r.Position);
            if (reached >= 0)
            {
                trails.Add(Math.Max(0, Stopwatch.GetElapsedTime(ok, marks[reached].At).TotalMilliseconds));
            }
        }

        var missed = committed.Count - lags.Count;
        if (missed > 0)
        {
            problem ??= $"{missed:N0} of {committed.Count:N0} committed events never reached the follower within {DrainTimeout.TotalSeconds:0} s";
        }

        // Sequence numbers the step's range lacks (a rolled-back append's, which the daemon waits on), and the tombstones
        // Marten wrote for numbers a failed transaction took.
        var end = (long)(await store.Scalar($"select coalesce(max(seq_id), 0) from {BrmDomain.Schema}.mt_events", ct))!;
        var rows = (long)(await store.Scalar($"select count(*) from {BrmDomain.Schema}.mt_events where seq_id > {start}", ct))!;
        var tombstones = (long)(await store.Scalar(
            $"select count(*) from {BrmDomain.Schema}.mt_events where seq_id > {start} and type = 'tombstone'", ct))!;

        var errors = tallies.SelectMany(t => t.Errors).GroupBy(e => e.Key, e => e.Value).ToDictionary(g => g.Key, g => g.Sum());
        return new FeedLagResult(Writers, seconds, tallies.Sum(t => t.Committed), tallies.Sum(t => t.Aborted), errors, received.Count, missed,
            Latency.Of(lags), Latency.Of(recordedLags), Latency.Of(trails), end - start - rows, tombstones, problem);
    }

    private sealed record Received(Guid Stream, long Version, long Position, long ArrivedAt, double SinceRecordedMs);

    private sealed class Tally
    {
        public long Committed { get; set; }

        public long Aborted { get; set; }

        public Dictionary<string, long> Errors { get; } = [];
    }
}
