using System.Collections.Concurrent;
using Brm.Api.Tests.Support;
using Brm.Domain;
using Brm.V1;
using Google.Protobuf;
using Grpc.Core;
using Npgsql;

namespace Brm.Api.Tests.Reliability;

/// <summary>
/// The service reaches PostgreSQL through a <see cref="FaultyProxy"/> that cuts connections at random points, before
/// a <c>COMMIT</c> and right after one (the ambiguous commit). Writers retry each request with its request id until
/// it is OK: every request ends with exactly one effect and every answer to it is the same. A call without a request
/// id whose commit went through but whose answer was cut is told UNAVAILABLE and is not replayed by anyone.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class AmbiguousCommitTests(AmbiguousCommitTests.ProxiedApi api) : IClassFixture<AmbiguousCommitTests.ProxiedApi>
{
    /// <summary>Writers of the fault run: <c>BRM_PROXY_WRITERS</c>, default 6 (it lasts <see cref="Stress.FaultDuration"/>).</summary>
    private static readonly int Writers = Stress.Count("BRM_PROXY_WRITERS", 6);

    [Fact]
    public async Task Requests_retried_with_their_request_id_through_cut_connections_have_one_effect_and_one_answer()
    {
        var requests = new ConcurrentBag<Logical>();
        var calls = 0;
        var unavailable = 0;
        var cutsBefore = (api.Proxy.Cuts, api.Proxy.CutsBeforeCommit, api.Proxy.CutsAfterCommit);

        async Task<T> UntilOk<T>(Func<CallOptions, AsyncUnaryCall<T>> call, IMessage request, string method, Guid relationship)
            where T : IMessage
        {
            while (true)
            {
                Interlocked.Increment(ref calls);
                try
                {
                    var answer = await call(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
                    requests.Add(new Logical(method, request, answer, relationship));
                    return answer;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    Interlocked.Increment(ref unavailable);
                }
            }
        }

        api.Proxy.Faulty = true;
        using var stop = new CancellationTokenSource(Stress.FaultDuration);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var register = new RegisterDepartmentRequest { RequestId = Guid.NewGuid().ToString(), Code = Builders.UniqueCode("cut"), Name = "Cut" };
                var registered = await UntilOk(o => api.Relationships.RegisterDepartmentAsync(register, o), register, "RegisterDepartment", Guid.Empty);
                var id = Guid.Parse(registered.Relationship.Id);
                var version = 1L;
                for (var n = 0; n < 4 && !stop.IsCancellationRequested; n++)
                {
                    // expected_version: a rename applied twice would be refused (ABORTED) on its second application.
                    var rename = new RenameDepartmentRequest { RequestId = Guid.NewGuid().ToString(), RelationshipId = registered.Relationship.Id, ExpectedVersion = version, Name = $"Cut {n}" };
                    version = (await UntilOk(o => api.Relationships.RenameDepartmentAsync(rename, o), rename, "RenameDepartment", id)).Version;
                }
            }
        })));
        api.Proxy.Faulty = false;

        // Exactly one effect per request: its events carry its request id as their causation id.
        var effects = await EventsPerRequestAsync();
        var doubled = requests.Count(r => effects.GetValueOrDefault(r.RequestId) > 1);
        var lost = requests.Count(r => effects.GetValueOrDefault(r.RequestId) == 0);
        Assert.Equal(0, doubled);
        Assert.Equal(0, lost);
        Assert.Equal(requests.Count, effects.Count);

        // Every relationship's stream is its registration and its renames, versions 1..n without a gap.
        foreach (var renames in requests.Where(r => r.Method == "RenameDepartment").GroupBy(r => r.Relationship))
        {
            Assert.Equal(Enumerable.Range(1, renames.Count() + 1).Select(v => (long)v), await RaceTests.StreamVersionsAsync(api.Store, renames.Key));
        }

        // Retried once more, now without faults, every request is answered as it was the first time it was OK.
        foreach (var request in requests)
        {
            var again = request.Method == "RegisterDepartment"
                ? (IMessage)await api.Relationships.RegisterDepartmentAsync((RegisterDepartmentRequest)request.Request)
                : await api.Relationships.RenameDepartmentAsync((RenameDepartmentRequest)request.Request);
            Assert.Equal(request.Answer.ToByteArray(), again.ToByteArray());
        }

        Assert.Equal(requests.Count, (await EventsPerRequestAsync()).Values.Sum());
        var cuts = api.Proxy.Cuts - cutsBefore.Item1;
        var afterCommit = api.Proxy.CutsAfterCommit - cutsBefore.Item3;
        Assert.True(afterCommit > 0, "no COMMIT was cut after the server answered it: the run proved nothing about ambiguous commits");
        Stress.Record("ambiguous commit", $"{Writers} writers, {requests.Count} logical requests, {calls} calls incl. retries ({unavailable} UNAVAILABLE), " +
            $"{cuts} connections cut ({api.Proxy.CutsBeforeCommit - cutsBefore.Item2} before COMMIT, {afterCommit} after COMMIT), " +
            $"{effects.Values.Sum()} events checked, doubled: 0, lost: 0");
    }

    [Fact]
    public async Task A_call_without_request_id_whose_commit_answer_is_cut_is_unavailable_and_appended_once()
    {
        await PrepareTheAppendAsync();
        var relationship = await api.Relationships.RegisterAsync("No request id");
        var stream = Guid.Parse(relationship.Id);
        var cuts = api.Proxy.CutsAfterCommit;

        var seen = api.Proxy.Statements = new ConcurrentQueue<string>();
        api.Proxy.CutNextAppendAfterCommit();
        var failure = await Record.ExceptionAsync(async () =>
            await api.Relationships.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = relationship.Id, Name = "Renamed once" }));
        api.Proxy.Statements = null;
        Assert.True(
            failure is RpcException { StatusCode: StatusCode.Unavailable },
            $"expected UNAVAILABLE, got {failure?.Message ?? "OK"}; through the proxy meanwhile: {string.Join(" | ", seen)}");

        // The COMMIT reached the server and was answered: the rename is there, once. Nobody replayed it (not Marten,
        // not Npgsql, not Mutations.Run), so there is no second copy.
        Assert.Equal(cuts + 1, api.Proxy.CutsAfterCommit);
        Assert.Equal([1L, 2L], await RaceTests.StreamVersionsAsync(api.Store, stream));
        var read = await api.Relationships.GetRelationshipAsync(new GetRelationshipRequest { RelationshipId = relationship.Id });
        Assert.Equal("Renamed once", read.Relationship.Name);
    }

    [Fact]
    public async Task A_call_with_request_id_whose_commit_answer_is_cut_gets_its_own_committed_answer()
    {
        await PrepareTheAppendAsync();
        var relationship = await api.Relationships.RegisterAsync("With request id");
        var stream = Guid.Parse(relationship.Id);
        var cuts = api.Proxy.CutsAfterCommit;
        var rename = new RenameDepartmentRequest { RequestId = Guid.NewGuid().ToString(), RelationshipId = relationship.Id, Name = "Renamed once" };

        api.Proxy.CutNextAppendAfterCommit();
        var first = await api.Relationships.RenameDepartmentAsync(rename);
        var again = await api.Relationships.RenameDepartmentAsync(rename);

        // The save failed with the commit done: Mutations.Run looked the request id up on a fresh connection and
        // answered with what the transaction stored, so the client never saw the failure.
        Assert.Equal(cuts + 1, api.Proxy.CutsAfterCommit);
        Assert.Equal(2, first.Version);
        Assert.Equal(first, again);
        Assert.Equal([1L, 2L], await RaceTests.StreamVersionsAsync(api.Store, stream));
    }

    /// <summary>
    /// Renames one department often enough that Npgsql has prepared the append on the connections it used (auto-prepare
    /// names a statement after a few uses, then sends only Bind and Execute): the cut must be seen either way. Whether
    /// it was prepared before a test depended on which tests ran first on the pool's connections.
    /// </summary>
    private async Task PrepareTheAppendAsync()
    {
        var warm = await api.Relationships.RegisterAsync("Warm");
        for (var n = 0; n < 12; n++)
        {
            await api.Relationships.RenameDepartmentAsync(new RenameDepartmentRequest { RelationshipId = warm.Id, Name = $"Warm {n}" });
        }
    }

    private async Task<Dictionary<string, long>> EventsPerRequestAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select causation_id, count(*) from {BrmDomain.Schema}.mt_events where causation_id is not null and type <> 'tombstone' group by causation_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private sealed record Logical(string Method, IMessage Request, IMessage Answer, Guid Relationship)
    {
        public string RequestId => (string)Request.Descriptor.FindFieldByName("request_id").Accessor.GetValue(Request);
    }

    /// <summary>The service, reaching its own test database through a <see cref="FaultyProxy"/> (without SSL, so the proxy reads the protocol).</summary>
    public sealed class ProxiedApi : ApiFixture, IAsyncLifetime
    {
        public FaultyProxy Proxy { get; private set; } = null!;

        protected override async Task<string> ConnectionStringAsync()
        {
            var direct = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync());
            Proxy = new FaultyProxy(direct.Host!, direct.Port);
            return new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = Proxy.Port, SslMode = SslMode.Disable }.ConnectionString;
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            await Proxy.DisposeAsync();
        }
    }
}
