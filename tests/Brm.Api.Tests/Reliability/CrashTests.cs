using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Brm.Api.Tests.Support;
using BrmDomain = Brm.Domain.BrmDomain;
using Brm.V1;
using Grpc.Core;
using Grpc.Health.V1;
using static Brm.Api.Tests.Support.CommitmentBuilders;
using static Brm.Api.Tests.Support.FeedbackBuilders;
using static Brm.Api.Tests.Support.MeetingBuilders;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// The service on a PostgreSQL cluster of its own, so that crashing it touches no other test class. The cluster is a
/// throw-away one (fsync off) whose commits are synchronous: a crash of the server's processes, which is what
/// <see cref="ThrowawayCluster.CrashAsync"/> is, then loses no acknowledged commit (the operating system still holds
/// what was written); only a crash of the machine would need fsync.
/// </summary>
public sealed class CrashFixture : ApiFixture
{
    public ThrowawayCluster Cluster { get; private set; } = null!;

    // Health must see the outage at once, and the test clock stands still: no cached answer.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Limits:HealthCacheDuration", "00:00:00")];

    protected override async Task<string> ConnectionStringAsync()
    {
        Cluster = await ThrowawayCluster.StartAsync(survivesServerCrash: true);
        return await Cluster.CreateDatabaseAsync("brm_crash");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>
/// Writers log conversations, make commitments and submit feedback (each with a request_id) on a few relationships;
/// PostgreSQL is stopped at once (<c>pg_ctl stop -m immediate</c>) under that load, and started again a little later.
/// Every command answered OK before the crash is still there; calls during the outage fail fast with UNAVAILABLE;
/// health says NOT_SERVING, then SERVING; the same host serves again; every call that failed, repeated with its
/// request_id, has exactly one effect; the async daemon catches up and every projection equals a full rebuild.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CrashTests(CrashFixture api) : IClassFixture<CrashFixture>
{
    /// <summary>Generous: a call that hangs ends DEADLINE_EXCEEDED, which fails the test.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    private enum Phase { BeforeCrash, Outage, Restarting, Recovered }

    private sealed record Command(string Kind, Guid RelationshipId, string RequestId, Func<CallOptions, Task<Answer>> Send);

    private sealed record Answer(string Id, long Version);

    private sealed record Outcome(Command Command, Phase StartedIn, Phase EndedIn, StatusCode Status, string Detail, Answer? Answer, TimeSpan Took);

    private volatile int _phase;

    private Phase Now => (Phase)_phase;

    [Fact]
    public async Task A_crash_of_the_database_loses_no_acknowledged_command_fails_fast_and_the_same_host_recovers()
    {
        var seed = Environment.TickCount;
        var departments = new List<Department>();
        for (var i = 0; i < 3; i++)
        {
            departments.Add(await api.DepartmentAsync($"Crash {i}", [("Ana", StakeholderLevel.Staff)]));
        }

        var streamsBefore = await StreamCountAsync();
        var health = new Health.HealthClient(api.Channel);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), Deadline())).Status);

        var outcomes = new ConcurrentQueue<Outcome>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Stress.CrashWriters).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + w);
            while (!stop.IsCancellationRequested)
            {
                var outcome = await SendAsync(NewCommand(random, departments));
                outcomes.Enqueue(outcome);
                if (outcome.Status != StatusCode.OK)
                {
                    await Task.Delay(50); // a client backs off a little before its next call
                }
            }
        })).ToList();

        var random = new Random(seed);
        var probes = new List<Outcome>();
        ServingStatus healthDuringOutage;
        int checksUntilServing;
        try
        {
            await Task.Delay(Stress.Duration);
            await api.Cluster.CrashAsync();
            _phase = (int)Phase.Outage;

            // While the database is down: one call of each kind, health, and the writers carrying on.
            for (var i = 0; i < 3; i++)
            {
                probes.Add(await SendAsync(NewCommand(random, departments, i)));
            }

            healthDuringOutage = (await health.CheckAsync(new HealthCheckRequest(), Deadline())).Status;
            await Task.Delay(Stress.OutageDuration);

            _phase = (int)Phase.Restarting;
            await api.Cluster.RestartAsync();
            checksUntilServing = await ChecksUntilServingAsync(health);
            _phase = (int)Phase.Recovered;
            await Task.Delay(Stress.Duration);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        // (2) Calls made while the database was down failed fast, with UNAVAILABLE; no call of the run hung or ended otherwise.
        Assert.All(probes, p => Assert.True(p.Status == StatusCode.Unavailable, $"{p.Command.Kind} during the outage: {p.Status} {p.Detail}"));
        var all = outcomes.Concat(probes).ToList();
        Assert.Empty(all.Where(o => o.Status is not (StatusCode.OK or StatusCode.Unavailable)).Select(o => $"{o.Command.Kind} in {o.StartedIn}: {o.Status} {o.Detail}"));
        Assert.All(all.Where(o => o.StartedIn == Phase.Outage && o.EndedIn == Phase.Outage), o => Assert.Equal(StatusCode.Unavailable, o.Status));

        // (3) Health said so, and says the database is back.
        Assert.Equal(ServingStatus.NotServing, healthDuringOutage);

        // (4) The same host serves again: once healthy, every call succeeds.
        Assert.Contains(all, o => o.StartedIn == Phase.Recovered);
        Assert.Empty(all.Where(o => o.StartedIn == Phase.Recovered && o.Status != StatusCode.OK).Select(o => $"{o.Command.Kind}: {o.Status} {o.Detail}"));

        // (1) Every acknowledged command is in the event store, as answered, and the service reads it back.
        var acknowledged = all.Where(o => o.Status == StatusCode.OK).ToList();
        var stored = await StoredAnswersAsync();
        var lost = acknowledged.Where(o => !(stored.GetValueOrDefault(o.Command.RequestId) ?? []).Contains(o.Answer!)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged commands lost, e.g. {lost.FirstOrDefault()?.Command.Kind} {lost.FirstOrDefault()?.Answer}");
        foreach (var o in acknowledged)
        {
            Assert.Equal(o.Answer!.Version, await ReadVersionAsync(o.Command.Kind, o.Answer.Id));
        }

        // Every command is sent again with its request_id: an acknowledged one gets its first answer back; one that
        // failed (it may or may not have committed as the server died) now succeeds; each has exactly one effect.
        var failed = all.Where(o => o.Status != StatusCode.OK).ToList();
        var answers = new ConcurrentDictionary<string, Answer>();
        await Parallel.ForEachAsync(acknowledged.Concat(failed), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (o, _) =>
        {
            var again = await SendAsync(o.Command);
            Assert.True(again.Status == StatusCode.OK, $"{o.Command.Kind} repeated after the crash: {again.Status} {again.Detail}");
            Assert.Equal(o.Answer ?? again.Answer, again.Answer);
            answers[o.Command.RequestId] = again.Answer!;
        });
        foreach (var o in failed)
        {
            Assert.Equal(answers[o.Command.RequestId].Version, await ReadVersionAsync(o.Command.Kind, answers[o.Command.RequestId].Id));
        }

        await AssertEachRequestIsOneStreamAsync(answers, streamsBefore);

        // (5) The async daemon resumed: the timelines hold every stream, and every projection equals a full rebuild.
        await api.WaitForProjectionsAsync();
        foreach (var department in departments)
        {
            var expected = all.Where(o => o.Command.RelationshipId == Guid.Parse(department.Id)).Select(o => answers[o.Command.RequestId].Id).Distinct();
            Assert.Empty(expected.Except(await TimelineStreamsAsync(department.Id)));
        }

        var live = await ReadModels.SnapshotAsync(api.Store);
        var rebuilt = await ReadModels.RebuildAllAsync(api.Services);
        await api.WaitForProjectionsAsync();
        Assert.Empty(ReadModels.Differences(live, await ReadModels.SnapshotAsync(api.Store)));

        string Calls(Phase phase) => $"{all.Count(o => o.StartedIn == phase)} ("
            + string.Join(", ", all.Where(o => o.StartedIn == phase).GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")) + ")";
        var slowest = all.Where(o => o.StartedIn == Phase.Outage && o.Status == StatusCode.Unavailable).Max(o => o.Took);
        Stress.Record("database crash", $"seed {seed}, {Stress.CrashWriters} writers; calls before the crash {Calls(Phase.BeforeCrash)}, "
            + $"during the {Stress.OutageDuration.TotalSeconds:0} s outage {Calls(Phase.Outage)} (slowest UNAVAILABLE {slowest.TotalMilliseconds:0} ms), "
            + $"while restarting {Calls(Phase.Restarting)}, after recovery {Calls(Phase.Recovered)}; health NOT_SERVING during the outage, "
            + $"SERVING {checksUntilServing} check(s) after the restart; {acknowledged.Count} acknowledged commands checked in mt_events and by reads, "
            + $"repeated with their request_id: same answer; {failed.Count} failed calls repeated: {failed.Count} OK, one stream each; "
            + $"{rebuilt.Count} projections rebuilt, {live.Values.Sum(d => d.Count)} documents compared, differences: 0; lost: 0");
    }

    [Fact]
    public async Task A_crash_while_the_service_is_idle_leaves_no_dead_connection_behind()
    {
        var departments = new List<Department> { await api.DepartmentAsync("Idle crash", [("Ana", StakeholderLevel.Staff)]) };
        var random = new Random(1);

        // Fill the pool with connections, then let them sit idle while the server dies and comes back.
        var warm = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(NewCommand(random, departments, i % 3))));
        Assert.All(warm, o => Assert.Equal(StatusCode.OK, o.Status));
        await api.Cluster.CrashAsync();
        await api.Cluster.RestartAsync();

        var after = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(NewCommand(random, departments, i % 3))));
        var health = new Health.HealthClient(api.Channel);
        var checks = await ChecksUntilServingAsync(health);

        Assert.Empty(after.Where(o => o.Status != StatusCode.OK).Select(o => $"{o.Command.Kind}: {o.Status} {o.Detail}"));
        Stress.Record("crash while idle", $"{warm.Length} pooled connections left idle, server crashed and restarted, {after.Length} calls at once: "
            + $"{after.Count(o => o.Status == StatusCode.OK)} OK; health SERVING at check {checks}");
    }

    private static CallOptions Deadline() => new(deadline: DateTime.UtcNow.Add(CallDeadline));

    private async Task<Outcome> SendAsync(Command command)
    {
        var startedIn = Now;
        var clock = Stopwatch.StartNew();
        try
        {
            var answer = await command.Send(Deadline());
            return new Outcome(command, startedIn, Now, StatusCode.OK, "", answer, clock.Elapsed);
        }
        catch (RpcException e)
        {
            return new Outcome(command, startedIn, Now, e.StatusCode, e.Status.Detail, null, clock.Elapsed);
        }
    }

    /// <summary>Asks for health until it says SERVING; returns how many checks it took.</summary>
    private static async Task<int> ChecksUntilServingAsync(Health.HealthClient health)
    {
        for (var checks = 1; ; checks++)
        {
            var status = (await health.CheckAsync(new HealthCheckRequest(), Deadline())).Status;
            if (status == ServingStatus.Serving)
            {
                return checks;
            }

            Assert.True(checks < 120, $"health still {status} after {checks} checks");
            await Task.Delay(250);
        }
    }

    /// <summary>A new command, with a fresh request id, of a random kind (or of <paramref name="kind"/>) on a random department.</summary>
    private Command NewCommand(Random random, IReadOnlyList<Department> departments, int? kind = null)
    {
        var department = departments[random.Next(departments.Count)];
        var requestId = Guid.NewGuid().ToString();
        var relationshipId = Guid.Parse(department.Id);
        switch (kind ?? random.Next(3))
        {
            case 0:
                var conversation = Conversation(department, null, "Ana");
                conversation.RequestId = requestId;
                return new Command("LogConversation", relationshipId, requestId, async options =>
                {
                    var logged = await api.Meetings.LogConversationAsync(conversation, options);
                    return new Answer(logged.Meeting.Id, logged.Version);
                });
            case 1:
                var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
                var commitment = Commitment(department.Relationship, $"Promise {requestId[..8]}", today.AddDays(7));
                commitment.RequestId = requestId;
                return new Command("MakeCommitment", relationshipId, requestId, async options =>
                {
                    var made = await api.Commitments.MakeCommitmentAsync(commitment, options);
                    return new Answer(made.Commitment.Id, made.Version);
                });
            default:
                var feedback = Give(department, "Ana", $"Feedback {requestId[..8]}", rating: 1 + random.Next(5));
                feedback.RequestId = requestId;
                return new Command("SubmitFeedback", relationshipId, requestId, async options =>
                {
                    var submitted = await api.Feedback.SubmitFeedbackAsync(feedback, options);
                    return new Answer(submitted.Feedback.Id, submitted.Version);
                });
        }
    }

    /// <summary>The version of the answered stream as the service reads it now.</summary>
    private async Task<long> ReadVersionAsync(string kind, string id) => kind switch
    {
        "LogConversation" => (await api.Meetings.GetMeetingAsync(new GetMeetingRequest { MeetingId = id })).Meeting.Version,
        "MakeCommitment" => (await api.Commitments.GetCommitmentAsync(new GetCommitmentRequest { CommitmentId = id })).Commitment.Version,
        _ => (await api.Feedback.GetFeedbackAsync(new GetFeedbackRequest { FeedbackId = id })).Feedback.Version,
    };

    /// <summary>Each request id's streams in mt_events (the request id is their events' causation id), with their last version.</summary>
    private async Task<Dictionary<string, List<Answer>>> StoredAnswersAsync()
    {
        await using var session = api.Store.QuerySession();
        var rows = await session.QueryAsync<string>(
            $"select causation_id || ' ' || stream_id::text || ' ' || max(version)::text from {BrmDomain.Schema}.mt_events "
            + "where type <> 'tombstone' and causation_id is not null group by causation_id, stream_id");
        return rows.Select(r => r.Split(' '))
            .GroupBy(r => r[0])
            .ToDictionary(g => g.Key, g => g.Select(r => new Answer(r[1], long.Parse(r[2], CultureInfo.InvariantCulture))).ToList());
    }

    /// <summary>Each request id's events are the answered stream's, and the store holds no stream but those before and the answered ones.</summary>
    private async Task AssertEachRequestIsOneStreamAsync(IReadOnlyDictionary<string, Answer> answers, long streamsBefore)
    {
        var stored = await StoredAnswersAsync();
        Assert.All(answers, a => Assert.Equal([a.Value], stored.GetValueOrDefault(a.Key) ?? []));
        Assert.Equal(streamsBefore + answers.Count, await StreamCountAsync());
    }

    private async Task<long> StreamCountAsync()
    {
        await using var session = api.Store.QuerySession();
        var streams = await session.QueryAsync<long>($"select count(distinct stream_id) from {BrmDomain.Schema}.mt_events where type <> 'tombstone'");
        return streams.Single();
    }

    private async Task<HashSet<string>> TimelineStreamsAsync(string relationshipId)
    {
        var streams = new HashSet<string>();
        var token = "";
        do
        {
            var page = await api.Reporting.GetTimelineAsync(new GetTimelineRequest { RelationshipId = relationshipId, PageSize = 500, PageToken = token });
            streams.UnionWith(page.Entries.Select(e => e.StreamId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return streams;
    }
}
