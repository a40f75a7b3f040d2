using System.Diagnostics;
using Brm.Domain;
using Brm.Domain.Commitments;
using Brm.Domain.CommunicationPlans;
using Brm.Domain.Feedback;
using Brm.Domain.Meetings;
using Brm.Domain.Relationships;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace Brm.Bench;

/// <summary>How the store was grown to a size: events appended in bulk, and how long the async daemon took to catch up.</summary>
public sealed record FillResult(
    long EventsBefore, long EventsAfter, double AppendSeconds, double AppendedPerSecond, double CatchUpSeconds, double CaughtUpPerSecond);

/// <summary>
/// Grows the event store to a given number of events for the feed and growth figures, then waits until the service's
/// async daemon has moved its high-water mark and every async projection (the timeline) past the last event, so that no
/// figure is taken while the daemon is still busy. Half of what a fill appends is relationship-shaped streams (a
/// registration, then stakeholders, needs, preferences, assessments) for a BRM of its own, through Marten's bulk COPY
/// path; the other half is the workload's departments' closed history (<see cref="AppendHistoryAsync"/>), so that
/// the reads of those departments (GetAgenda, GetRelationship) are measured over a history that grows with the store,
/// as a real store's does, and not over a store whose growth is all elsewhere.
/// </summary>
public sealed class StoreFilling(string connectionString) : IAsyncDisposable
{
    /// <summary>
    /// The manager of the seeded relationships: none of the workload's BRMs, so that GetAgenda reads the same
    /// relationships whatever the store's size and the growth figures compare like with like.
    /// </summary>
    public const string SeedManager = "brm.seed";

    private const int EventsPerStream = 10;
    private const int EventsPerTransaction = 50_000;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(30);

    private readonly DocumentStore _store = DocumentStore.For(options =>
    {
        BrmDomain.Configure(options, connectionString);
        options.AutoCreateSchemaObjects = AutoCreate.None; // the service applied the schema; the bench never changes it
        options.Projections.AsyncMode = DaemonMode.ExternallyManaged; // the service's daemon runs the async projections
    });

    private readonly NpgsqlDataSource _database = NpgsqlDataSource.Create(connectionString);

    public async Task<long> CountEventsAsync(CancellationToken ct) =>
        (long)(await Scalar($"select count(*) from {BrmDomain.Schema}.mt_events", ct))!;

    /// <summary>
    /// Appends events until the store holds at least <paramref name="target"/>, half of them closed history of
    /// <paramref name="departments"/> (none when there are none), then waits for the daemon.
    /// </summary>
    public async Task<FillResult> FillToAsync(long target, IReadOnlyList<Department> departments, Action<string> progress, CancellationToken ct)
    {
        var before = await CountEventsAsync(ct);
        var appending = Stopwatch.StartNew();
        if (departments.Count > 0 && target > before)
        {
            await AppendHistoryAsync(departments, (target - before) / 2, progress, ct);
        }

        var count = await CountEventsAsync(ct);
        var at = DateTimeOffset.UtcNow.AddYears(-1);
        while (count < target)
        {
            var batch = (int)Math.Min(EventsPerTransaction, target - count);
            var streams = new List<StreamAction>();
            for (var left = batch; left > 0; left -= EventsPerStream)
            {
                var id = Guid.CreateVersion7();
                var action = StreamAction.Start(_store.Events, id, [.. RelationshipHistory(id, count + batch - left, at).Take(left)]);
                action.AggregateType = typeof(Relationship);
                foreach (var e in action.Events)
                {
                    e.UserName = "bench.seed";
                    e.CorrelationId = "bench-seed";
                }

                streams.Add(action);
            }

            await _store.BulkInsertEventsAsync(streams, batchSize: 10_000, ct);
            count += batch;
            progress($"{count:N0} events appended");
        }

        var appendSeconds = appending.Elapsed.TotalSeconds;
        var catchingUp = Stopwatch.StartNew();
        await WaitForDaemonAsync(progress, ct);
        var catchUpSeconds = catchingUp.Elapsed.TotalSeconds;
        var after = await CountEventsAsync(ct);
        var appended = after - before;
        return new FillResult(before, after, appendSeconds, appended / Math.Max(appendSeconds, 1e-9),
            catchUpSeconds, appended / Math.Max(catchUpSeconds, 1e-9));
    }

    /// <summary>
    /// Waits until the high-water mark (the feed never reads past it) and every async projection have reached the
    /// last event; read from mt_event_progression, so an async projection added later is waited for too.
    /// </summary>
    public async Task WaitForDaemonAsync(Action<string> progress, CancellationToken ct)
    {
        var last = (long)(await Scalar($"select coalesce(max(seq_id), 0) from {BrmDomain.Schema}.mt_events", ct))!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CatchUpTimeout);
        var said = Stopwatch.StartNew();
        while (true)
        {
            var shards = new Dictionary<string, long>();
            await using (var command = _database.CreateCommand($"select name, last_seq_id from {BrmDomain.Schema}.mt_event_progression"))
            await using (var reader = await command.ExecuteReaderAsync(timeout.Token))
            {
                while (await reader.ReadAsync(timeout.Token))
                {
                    shards[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            // Besides the projections' rows, the daemon keeps its own (HighWaterStuckGap, ...): only the mark counts of those.
            var projections = shards.Where(s => !s.Key.StartsWith("HighWater", StringComparison.Ordinal)).ToList();
            if (shards.GetValueOrDefault("HighWaterMark") >= last && projections.Count > 0 && projections.All(s => s.Value >= last))
            {
                return;
            }

            if (said.Elapsed > TimeSpan.FromSeconds(10))
            {
                progress($"waiting for the async daemon to reach {last:N0}: " + string.Join(", ", shards.Select(s => $"{s.Key} {s.Value:N0}")));
                said.Restart();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
        }
    }

    public async Task<object?> Scalar(string sql, CancellationToken ct)
    {
        await using var command = _database.CreateCommand(sql);
        return await command.ExecuteScalarAsync(ct);
    }

    public NpgsqlDataSource Database => _database;

    public async ValueTask DisposeAsync()
    {
        _store.Dispose();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Appends about <paramref name="events"/> events of closed history to the workload's departments, a round at a
    /// time for each department in turn: a commitment made and delivered, a meeting scheduled and held with the
    /// department's stakeholders, feedback received, acknowledged and answered, and a communication recorded on its plan
    /// (the plan's document keeps every communication, so it grows with the history). Through ordinary sessions, so that the
    /// store's inline projections write the documents the reads go through, as the service's commands would. All of it
    /// is dated before the workload (more than a year ago, older rounds first), so it adds nothing a BRM must act on:
    /// what an agenda shows is the same at every size, and what grows is only what the reads must not look at.
    /// </summary>
    private async Task AppendHistoryAsync(IReadOnlyList<Department> departments, long events, Action<string> progress, CancellationToken ct)
    {
        var rounds = events / EventsPerHistoryRound;
        var done = 0L;
        var start = DateTimeOffset.UtcNow.AddYears(-2);
        while (done < rounds)
        {
            await using var session = _store.LightweightSession();
            session.LastModifiedBy = "bench.seed";
            session.CorrelationId = "bench-seed";
            for (var i = 0; i < HistoryRoundsPerTransaction && done < rounds; i++, done++)
            {
                var department = departments[(int)(done % departments.Count)];
                var at = start.AddMinutes(done / departments.Count * 60 + done % departments.Count % 60);
                foreach (var (id, aggregate, history) in HistoryRound(department, at))
                {
                    session.Events.StartStream(aggregate, id, [.. history]);
                }

                var communication = PastCommunication(department, at);
                session.Events.Append(communication.PlanId, communication);
            }

            await session.SaveChangesAsync(ct);
            progress($"{done * EventsPerHistoryRound:N0} events of the workload's departments' closed history appended");
        }
    }

    private const int EventsPerHistoryRound = 8;
    private const int HistoryRoundsPerTransaction = 500;

    // One round of a department's closed history: what a year of relationship work leaves behind once it is done.
    private static IEnumerable<(Guid Id, Type Aggregate, IEnumerable<object> Events)> HistoryRound(Department department, DateTimeOffset at)
    {
        const string by = "bench.seed";
        var relationship = Guid.Parse(department.Id);
        var stakeholders = department.Stakeholders.Select(Guid.Parse).ToList();
        var day = DateOnly.FromDateTime(at.UtcDateTime);

        var commitment = Guid.CreateVersion7();
        yield return (commitment, typeof(Commitment), [
            new CommitmentMade(commitment, relationship, "Replace the payroll batch job", null, by, day.AddDays(14), CommitmentDirection.ItToBusiness,
                new CommitmentSource(SourceKind.Other, null, null), true, by, at),
            new CommitmentDelivered(commitment, relationship, "in production", by, at.AddDays(10)),
        ]);

        var meeting = Guid.CreateVersion7();
        yield return (meeting, typeof(Meeting), [
            new MeetingScheduled(meeting, relationship, MeetingKind.FaceToFace, "monthly check-in", at.AddDays(1), 30, stakeholders, by, by, at),
            new MeetingHeld(meeting, relationship, at.AddDays(1), new Conversation(stakeholders, [by], "the roadmap", [], null), by, at.AddDays(1)),
        ]);

        var feedback = Guid.CreateVersion7();
        yield return (feedback, typeof(FeedbackItem), [
            new FeedbackReceived(feedback, relationship, stakeholders.FirstOrDefault(), Channel.Email, 4, FeedbackScale.Rating, "the new portal is quicker",
                FeedbackSubject.General, null, by, at.AddDays(2)),
            new FeedbackAcknowledged(feedback, relationship, null, by, at.AddDays(3)),
            new FeedbackResponseSent(feedback, relationship, "thank you: passed to the portal team", Channel.Email, stakeholders, by, at.AddDays(5)),
        ]);
    }

    // The round's communication for the department's plan item (the workload's monthly one), dated with the round: before the
    // item starts, so it settles none of its periods and the agenda shows the same; the plan's document carries it all the same.
    private static CommunicationDelivered PastCommunication(Department department, DateTimeOffset at)
    {
        var relationship = Guid.Parse(department.Id);
        return new CommunicationDelivered(CommunicationPlan.IdFor(relationship), relationship, Guid.CreateVersion7(), Guid.Parse(department.PlanItemId),
            Channel.Email, "Monthly outage summary: two incidents, both resolved within the agreed time", null, "bench.seed", at.AddDays(4));
    }

    /// <summary>How many topics the seeded needs are about (each department's outage summary names one): Search's growth query.</summary>
    public const int Topics = 1000;

    /// <summary>A topic's word, one lexeme for the text search parser.</summary>
    public static string Topic(long n) => $"system{n}";

    // What a department's stream typically holds: the registration first, then the relationship being built up.
    private static IEnumerable<object> RelationshipHistory(Guid id, long n, DateTimeOffset at)
    {
        const string by = "bench.seed";
        yield return new DepartmentRegistered(id, $"seed-{n}", $"Seeded department {n}", SeedManager, by, at);
        yield return new StakeholderAdded(id, Guid.CreateVersion7(), "Alice Smith", "Finance Director", StakeholderLevel.Executive,
            $"alice.{n}@example.com", Degree.High, Degree.Medium, by, at.AddMinutes(1));
        yield return new StakeholderAdded(id, Guid.CreateVersion7(), "Bram Jansen", "Team Lead", StakeholderLevel.Manager,
            null, Degree.Medium, Degree.High, by, at.AddMinutes(2));
        yield return new InformationNeedRecorded(id, Guid.CreateVersion7(), $"monthly outage summary of {Topic(n % Topics)}", Priority.High, null, by, at.AddMinutes(3));
        yield return new CommunicationPreferenceRecorded(id, Channel.Email, "all staff", "monthly, first Monday", by, at.AddMinutes(4));
        yield return new MaturityAssessed(id, MaturitySide.Business, MaturityLevel.OrderTaker, "quarterly review", by, at.AddMinutes(5));
        yield return new MaturityAssessed(id, MaturitySide.It, MaturityLevel.ServiceProvider, "quarterly review", by, at.AddMinutes(6));
        yield return new StakeholderAdded(id, Guid.CreateVersion7(), "Chen Okafor", "Payroll Officer", StakeholderLevel.Staff,
            null, Degree.Low, Degree.Medium, by, at.AddMinutes(7));
        yield return new InformationNeedRecorded(id, Guid.CreateVersion7(), "roadmap of changes to the ERP", Priority.Medium, null, by, at.AddMinutes(8));
        yield return new CommunicationPreferenceRecorded(id, Channel.TeamMeeting, "leadership team", null, by, at.AddMinutes(9));
    }
}
